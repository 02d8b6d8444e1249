"""Request ids, worker telemetry set-up and the optional tracing interceptor."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.request_context import RequestContextMiddleware, current_origin
from domain.settings import Settings
from worker_metrics import make_runtime, tracing_interceptors


def _app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(RequestContextMiddleware)

    @app.get("/origin")
    def origin() -> dict[str, str | None]:
        request_id, source = current_origin.get()
        return {"request_id": request_id, "source": source}

    return app


def test_request_id_is_kept_when_plain_and_made_otherwise() -> None:
    with TestClient(_app()) as client:
        kept = client.get("/origin", headers={"X-Request-ID": "abc-123"})
        assert kept.headers["x-request-id"] == "abc-123" == kept.json()["request_id"]
        for bad in ("13800000002 name", "x" * 65):
            made = client.get("/origin", headers={"X-Request-ID": bad})
            assert made.headers["x-request-id"] != bad and len(made.headers["x-request-id"]) == 32
        fresh = client.get("/origin")
        assert fresh.json()["request_id"] == fresh.headers["x-request-id"]
        assert fresh.json()["source"] == "testclient"


def test_worker_telemetry_is_off_by_default(tmp_path: Path) -> None:
    settings = Settings(SONGDA_STATE_DIR=tmp_path)
    assert make_runtime(settings) is None
    assert tracing_interceptors(settings) == []


def test_tracing_interceptor_when_an_endpoint_is_set(tmp_path: Path) -> None:
    pytest.importorskip("opentelemetry.sdk", reason="the optional `otel` extra")
    from temporalio.contrib.opentelemetry import TracingInterceptor

    settings = Settings(
        SONGDA_STATE_DIR=tmp_path, SONGDA_OTEL_ENDPOINT="http://127.0.0.1:1/v1/traces"
    )
    [interceptor] = tracing_interceptors(settings)
    assert isinstance(interceptor, TracingInterceptor)

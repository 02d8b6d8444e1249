"""Issue 13 (6): bodies over their route's limit are refused before they are read."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message

from api.app import create_app
from api.portal.app import create_portal_app
from domain.settings import Settings
from tests.api.conftest import auth

MIB = 1024 * 1024
CHUNK = b"x" * (64 * 1024)
GIB_OF_CHUNKS = 16 * 1024  # 1 GiB in 64 KiB chunks: far more than any route takes


class Sent:
    """What a caller streamed into an app and what it got back."""

    def __init__(self) -> None:
        self.pulled = 0
        self.status: int | None = None
        self.content_type = ""
        self.body = b""


def _post(
    app: ASGIApp, path: str, headers: dict[str, str], chunks: Iterator[bytes] | None = None
) -> Sent:
    """Streams chunks (1 GiB by default) into the app as one POST and records how much it read."""
    sent = Sent()
    source = chunks if chunks is not None else itertools.repeat(CHUNK, GIB_OF_CHUNKS)

    async def receive() -> Message:
        chunk = next(source, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        sent.pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            sent.status = message["status"]
            sent.content_type = dict(message["headers"]).get(b"content-type", b"").decode()
        elif message["type"] == "http.response.body":
            sent.body += message.get("body", b"")

    scope: dict[str, Any] = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "client": ("203.0.113.9", 50000), "server": ("testserver", 80),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }  # fmt: skip

    async def call() -> None:
        await app(scope, receive, send)

    asyncio.run(call())
    return sent


@pytest.fixture
def small(settings: Settings) -> Settings:
    """The API fixture's settings with small limits, so a streamed attack ends quickly."""
    return settings.model_copy(update={"max_submission_bytes": MIB, "max_webhook_bytes": 64 * 1024})


@pytest.fixture
def small_app(small: Settings, engine: Engine) -> Iterator[ASGIApp]:
    """The API on those settings, its lifespan running (engine, session factory)."""
    with TestClient(create_app(small)) as running:
        yield running.app


JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    "path", ["/v1/service-requests", "/v1/providers/sandbox-sms/events", "/v1/tasks/t/contacts"]
)
def test_a_declared_length_over_the_limit_is_refused_unread(small: Settings, path: str) -> None:
    app = create_app(small)
    sent = _post(app, path, {**JSON, "content-length": str(5 * 1024 * MIB)})
    assert sent.status == 413
    assert sent.pulled == 0
    assert b"limit" in sent.body


@pytest.mark.parametrize(
    ("path", "limit"),
    [("/v1/service-requests", MIB), ("/v1/providers/sandbox-sms/events", 64 * 1024)],
)
def test_a_chunked_body_is_counted_and_cut_off(small_app: ASGIApp, path: str, limit: int) -> None:
    sent = _post(small_app, path, JSON)  # no Content-Length, no token
    assert sent.status == 413
    assert sent.pulled <= limit + len(CHUNK)


def test_an_upload_without_credentials_is_refused_before_a_byte_is_read(small: Settings) -> None:
    headers = {"content-type": "multipart/form-data; boundary=x"}
    sent = _post(create_app(small), "/v1/work-orders/o-1/evidence", headers)
    assert (sent.status, sent.pulled) == (401, 0)


def test_an_upload_with_a_bad_token_is_refused_before_it_is_read(client: TestClient) -> None:
    headers = {"content-type": "multipart/form-data; boundary=x", **auth("not-a-token")}
    sent = _post(client.app, "/v1/work-orders/o-1/evidence", headers)
    assert sent.status == 401
    assert sent.pulled == 0


def test_console_forms_are_limited(small: Settings, small_app: ASGIApp) -> None:
    form = {"content-type": "application/x-www-form-urlencoded"}
    sent = _post(small_app, "/console/login", form)
    assert sent.status == 413
    assert sent.pulled <= small.max_form_bytes + len(CHUNK)
    upload = {"content-type": "multipart/form-data; boundary=x"}
    unsigned = _post(small_app, "/console/judge/new", upload)  # no session: the login page
    assert (unsigned.status, unsigned.pulled) == (303, 0)


def test_portal_forms_are_limited(small: Settings, tmp_path: Path) -> None:
    portal = create_portal_app(small)
    form = {"content-type": "application/x-www-form-urlencoded"}
    sent = _post(portal, "/s/some-token/identity", form)
    assert sent.status == 413
    assert sent.pulled <= small.max_form_bytes + len(CHUNK)
    declared = _post(portal, "/s/some-token/code", {**form, "content-length": str(10 * MIB)})
    assert (declared.status, declared.pulled) == (413, 0)


def test_a_body_within_the_limit_reaches_the_route(small_app: ASGIApp) -> None:
    body = iter([b'{"event_id": "e"}'])
    sent = _post(small_app, "/v1/providers/sandbox-sms/events", JSON, body)
    assert sent.status == 401  # the signature check ran: the body was let through


def test_refusals_are_problem_details_like_every_other_error(small: Settings) -> None:
    # Found by the fuzz run: the 401 and 413 answered application/json, not the documented type.
    sent = _post(create_app(small), "/v1/service-requests", {**JSON, "content-length": "9" * 12})
    assert sent.status == 413
    assert json.loads(sent.body)["status"] == 413
    assert sent.content_type == "application/problem+json"
    upload = _post(create_app(small), "/v1/work-orders/o/evidence", {"content-type": "x/y"})
    assert (upload.status, upload.content_type) == (401, "application/problem+json")

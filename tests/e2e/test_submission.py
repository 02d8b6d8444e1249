"""Submission on the real stack: idempotent, and refused input stores and starts nothing."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import uuid

import httpx
import psycopg
import pytest

from domain.store.documents import DocumentStore
from launcher import Stack
from tests.e2e.conftest import ROOT
from tests.e2e.support import (
    free_port,
    mobile,
    party,
    request_body,
    request_done,
    service_sms,
    wait_until,
)

pytestmark = pytest.mark.integration

TABLES = ("service_requests", "parties", "documents", "service_tasks")


def _counts(stack: Stack) -> dict[str, int]:
    url = stack.env["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_same_external_id_returns_the_same_request(
    api: httpx.Client, sandbox: httpx.Client, stack: Stack
) -> None:
    number = mobile("2")
    body = request_body([party("P1", phones=[number], consent=True)])
    first = api.post("/v1/service-requests", json=body)
    assert first.status_code == 201, first.text
    before = _counts(stack)
    again = api.post("/v1/service-requests", json=body)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["tasks"] == first.json()["tasks"] or [
        t["id"] for t in again.json()["tasks"]
    ] == [t["id"] for t in first.json()["tasks"]]
    assert _counts(stack) == before
    wait_until(lambda: service_sms(sandbox, number), 30, "the SMS")
    listed = api.get("/v1/service-requests", params={"external_id": body["external_id"]})
    assert [r["id"] for r in listed.json()["items"]] == [first.json()["id"]]
    assert len(service_sms(sandbox, number)) == 1


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda b: b["parties"][0].update(id_number="110101200001011230"), "id_number"),
        (lambda b: b["parties"][0].update(phones=["1380000000"]), "phones"),
        (lambda b: b["case"].update(number="(21)津0103民初1234号"), "number"),
        (lambda b: b.update(documents=[]), "documents"),
        (lambda b: b["documents"][0].update(kind="letter_of_love"), "kind"),
        (lambda b: b["parties"].append(dict(b["parties"][0])), "ref"),
    ],
)
def test_refused_input_stores_and_starts_nothing(
    api: httpx.Client, stack: Stack, mutate: object, field: str
) -> None:
    body = request_body([party("P1", phones=[mobile("2")])])
    # A document no other test stores: archives of other requests may land meanwhile.
    content = base64.b64decode(body["documents"][0]["content_base64"]) + uuid.uuid4().bytes
    body["documents"][0]["content_base64"] = base64.b64encode(content).decode()
    mutate(body)  # type: ignore[operator]
    before = _counts(stack)
    answer = api.post("/v1/service-requests", json=body)
    assert answer.status_code == 422
    assert field in answer.text
    assert _counts(stack) == before
    store = DocumentStore(stack.settings.document_dir)
    assert not store.exists(hashlib.sha256(content).hexdigest())
    listed = api.get("/v1/service-requests", params={"external_id": body["external_id"]})
    assert listed.json()["items"] == []


def test_unsigned_provider_event_is_refused(stack: Stack) -> None:
    url = f"http://127.0.0.1:{stack.settings.api_port}/v1/providers/sandbox-sms/events"
    answer = httpx.post(
        url,
        json={
            "event_id": "x",
            "reference": "y",
            "kind": "delivered",
            "occurred_at": "2026-11-28T00:00:00+00:00",
            "detail": {},
        },
    )
    assert answer.status_code == 401


def test_a_start_lost_after_commit_is_healed(
    api: httpx.Client, stack: Stack, sandbox: httpx.Client
) -> None:
    """A second API that cannot reach Temporal stores the request; the first one starts it."""
    port = free_port()
    env = {**stack.env, "SONGDA_API_PORT": str(port), "TEMPORAL_ADDRESS": "127.0.0.1:9"}
    cut_off = subprocess.Popen(
        [sys.executable, "-m", "api"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        isolated = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=api.headers)
        wait_until(lambda: _answers(isolated), 30, "the cut-off API")
        number = mobile("2")
        body = request_body([party("P1", phones=[number], consent=True)])
        answer = isolated.post("/v1/service-requests", json=body)
        assert answer.status_code in (201, 503), answer.text
    finally:
        cut_off.terminate()
        cut_off.wait()
    stored = api.get("/v1/service-requests", params={"external_id": body["external_id"]})
    request_id = stored.json()["items"][0]["id"]
    done = request_done(api, request_id, timeout=60)
    assert done["tasks"][0]["status"] == "served"
    assert len(service_sms(sandbox, number)) == 1


def _answers(client: httpx.Client) -> bool:
    try:
        return client.get("/healthz").status_code == 200
    except httpx.HTTPError:
        return False

"""The call screen on the real stack: script, click-to-call through the sandbox line, evidence."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import pytest

from tests.e2e.support import mobile, party, request_body, timeline, wait_until

pytestmark = pytest.mark.integration

RECEIPT = b"%PDF-1.4\n% a scanned signed receipt\n"


def _open_phone_order(clerk: httpx.Client, task_id: str) -> dict[str, Any]:
    def find() -> dict[str, Any] | None:
        items = clerk.get("/v1/work-orders", params={"status": "open", "kind": "phone"}).json()
        return next((o for o in items["items"] if o["task_id"] == task_id), None)

    order: dict[str, Any] = wait_until(find, 60, "an open phone work order")
    return order


def test_clerk_calls_through_the_line_and_the_api_attaches_it(
    api: httpx.Client, clerk_api: httpx.Client, sandbox: httpx.Client
) -> None:
    number = mobile("0")  # a dead number: the SMS fails, the call is unreachable
    body = request_body([party("P1", phones=[number])], seconds_per_day=5)
    created = api.post("/v1/service-requests", json=body)
    assert created.status_code == 201, created.text
    task_id = created.json()["tasks"][0]["id"]
    order = _open_phone_order(clerk_api, task_id)

    script = clerk_api.get(f"/v1/work-orders/{order['id']}/script")
    assert script.status_code == 200
    assert "（2026）津0103民初" in script.json()["title"]

    placed = clerk_api.post(f"/v1/work-orders/{order['id']}/call")
    assert placed.status_code == 201, placed.text
    assert number not in placed.text
    call_id = placed.json()["call_id"]
    line = sandbox.get("/sandbox/calls", params={"to": number}).json()["items"]
    assert [(c["call_id"], c["agent"], c["reference"]) for c in line] == [
        (call_id, "clerk-li", order["id"])
    ]

    # Nobody presses "fetch": the API's background loop attaches the ended call by itself.
    def fetched() -> dict[str, Any] | None:
        events = [e for e in timeline(api, task_id) if e["kind"] == "call"]
        return events[0] if events else None

    event = wait_until(fetched, 60, "the call attached to the trail")
    assert event["detail"]["result"] == "unreachable"
    again = clerk_api.post(f"/v1/work-orders/{order['id']}/calls/{call_id}/fetch").json()
    assert (again["fetched"], again["result"], again["recording"]) == (True, "unreachable", None)

    digest = hashlib.sha256(RECEIPT).hexdigest()
    upload = clerk_api.post(
        f"/v1/work-orders/{order['id']}/evidence",
        data={"kind": "signed_receipt", "sha256": digest},
        files={"file": ("回证.pdf", RECEIPT, "application/pdf")},
    )
    assert upload.status_code == 201, upload.text
    listed = clerk_api.get(f"/v1/work-orders/{order['id']}/evidence").json()["items"]
    assert [item["sha256"] for item in listed] == [digest]
    assert api.get(listed[0]["url"]).content == RECEIPT  # the submitting case system reads it

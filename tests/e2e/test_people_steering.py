"""Work orders on the real stack: consent, a new number, reminders and escalation."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from domain.pure.legal_calendar import LegalCalendar
from launcher import Stack
from tests.e2e.conftest import cli
from tests.e2e.support import (
    mobile,
    party,
    request_done,
    sandbox_items,
    service_sms,
    submit,
    tasks_by_ref,
    timeline,
    wait_until,
)

pytestmark = pytest.mark.integration


def _orders(clerk: httpx.Client, task_id: str, status: str = "open") -> list[dict[str, Any]]:
    items = clerk.get("/v1/work-orders", params={"status": status, "kind": "phone"}).json()
    return [o for o in items["items"] if o["task_id"] == task_id]


def _open_order(clerk: httpx.Client, task_id: str, timeout: float = 60) -> dict[str, Any]:
    found: list[dict[str, Any]] = wait_until(
        lambda: _orders(clerk, task_id), timeout, "an open phone work order"
    )
    return found[0]


def _answer(clerk: httpx.Client, order: dict[str, Any], body: dict[str, Any]) -> None:
    response = clerk.post(f"/v1/work-orders/{order['id']}/outcome", json=body)
    assert response.status_code == 200, response.text


def test_consent_on_the_phone_serves_electronically(
    api: httpx.Client, clerk_api: httpx.Client, sandbox: httpx.Client
) -> None:
    # Delivered but never opened: without consent the SMS does not serve, so a clerk calls.
    number = mobile("1")
    created = submit(api, party("P1", phones=[number], address=None), seconds_per_day=2)
    task = created["tasks"][0]
    order = _open_order(clerk_api, task["id"])
    assert clerk_api.post(f"/v1/work-orders/{order['id']}/claim").status_code == 200
    _answer(clerk_api, order, {"outcome": "reached_consented", "note": "同意电子送达"})
    served = tasks_by_ref(request_done(api, created["id"], timeout=90))["P1"]
    assert served["status"] == "served" and served["method"] == "electronic"
    assert len(service_sms(sandbox, number)) == 2  # the reminder, then service with consent


def test_new_number_with_consent_is_served_at_it(
    api: httpx.Client, clerk_api: httpx.Client, sandbox: httpx.Client
) -> None:
    dead, given = mobile("0"), mobile("1")
    created = submit(api, party("P1", phones=[dead], address=None), seconds_per_day=2)
    order = _open_order(clerk_api, created["tasks"][0]["id"])
    _answer(clerk_api, order, {"outcome": "reached_consented", "phone": f"+86 {given}"})
    served = tasks_by_ref(request_done(api, created["id"], timeout=90))["P1"]
    assert served["status"] == "served" and served["method"] == "electronic"
    assert len(service_sms(sandbox, given)) == 1


def test_new_number_without_consent_is_reminded_and_called(
    api: httpx.Client, clerk_api: httpx.Client, sandbox: httpx.Client
) -> None:
    dead, given = mobile("0"), mobile("2")
    created = submit(
        api, party("P1", phones=[dead], address="天津市河西区换号路8号"), seconds_per_day=3
    )
    task = created["tasks"][0]
    first = _open_order(clerk_api, task["id"])
    _answer(clerk_api, first, {"outcome": "wrong_number", "phone": given, "note": "家属告知"})
    wait_until(lambda: service_sms(sandbox, given), 30, "the SMS reminder to the new number")
    second = wait_until(
        lambda: [o for o in _orders(clerk_api, task["id"]) if o["id"] != first["id"]],
        60,
        "a phone work order for the new number",
    )[0]
    assert given in second["party"]["phones"]
    answer = api.post(f"/v1/service-requests/{created['id']}/cancel")
    assert answer.status_code == 202, answer.text


def test_unanswered_order_is_reminded_escalated_and_expires(
    stack: Stack, api: httpx.Client, clerk_api: httpx.Client, sandbox: httpx.Client
) -> None:
    clerk_phone, boss_phone = mobile("3"), mobile("4")
    cli(stack, "user", "add", "clerk-remind", "--role", "clerk", "--court", "J12",
        "--phone", clerk_phone)  # fmt: skip
    cli(stack, "user", "add", "boss-escalate", "--role", "supervisor", "--court", "J12",
        "--phone", boss_phone)  # fmt: skip
    address = "天津市河西区督办路7号"
    created = submit(api, party("P1", phones=[mobile("0")], address=address), seconds_per_day=1)
    task = created["tasks"][0]
    order = _open_order(clerk_api, task["id"])

    def kinds() -> list[str]:
        return [e["kind"] for e in timeline(api, task["id"])]

    wait_until(lambda: "work_order_escalated" in kinds(), 60, "the escalation")
    assert kinds().index("work_order_reminded") < kinds().index("work_order_escalated")
    events = {e["kind"]: e for e in timeline(api, task["id"])}
    reminded, escalated = events["work_order_reminded"], events["work_order_escalated"]
    due = date.fromisoformat(reminded["detail"]["due"])
    # Timers never fire early: the reminder on the due day (the default, 1 workday), the
    # escalation once the due day is over.
    assert date.fromisoformat(reminded["legal_date"]) >= due
    assert date.fromisoformat(escalated["legal_date"]) > due
    assert LegalCalendar().is_workday(due)
    reminder = sandbox_items(sandbox, "sms", clerk_phone)
    assert reminder and "将于" in reminder[0]["text"] and "民初1234号" in reminder[0]["text"]
    escalation = sandbox_items(sandbox, "sms", boss_phone)
    assert escalation and "督办" in escalation[0]["text"]
    done = request_done(api, created["id"], timeout=90)
    assert tasks_by_ref(done)["P1"]["method"] == "mail"
    closed = [o for o in _orders(clerk_api, task["id"], "expired") if o["id"] == order["id"]]
    assert closed and closed[0]["reminded_at"] and closed[0]["escalated_at"]
    assert len(sandbox_items(sandbox, "post", address)) == 1

"""Work orders, cancellation and crashes on the real stack."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from launcher import Stack
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


def _open_order(clerk: httpx.Client, task_id: str, kind: str) -> dict[str, Any]:
    def find() -> dict[str, Any] | None:
        items = clerk.get("/v1/work-orders", params={"status": "open", "kind": kind}).json()
        return next((o for o in items["items"] if o["task_id"] == task_id), None)

    order: dict[str, Any] = wait_until(find, 30, f"an open {kind} work order")
    return order


def test_cancel_at_the_phone_rung(
    api: httpx.Client, clerk_api: httpx.Client, sandbox: httpx.Client
) -> None:
    address = "天津市河西区取消路9号"
    # A slower clock keeps the clerk's window open long enough on a loaded machine.
    created = submit(api, party("P1", phones=[mobile("0")], address=address), seconds_per_day=5)
    task = created["tasks"][0]
    order = _open_order(clerk_api, task["id"], "phone")
    answer = api.post(f"/v1/service-requests/{created['id']}/cancel")
    assert answer.status_code == 202, answer.text
    done = request_done(api, created["id"], timeout=30)
    assert done["status"] == "cancelled"
    assert tasks_by_ref(done)["P1"]["status"] == "cancelled"
    assert sandbox_items(sandbox, "post", address) == []
    late = clerk_api.post(
        f"/v1/work-orders/{order['id']}/outcome", json={"outcome": "unreachable", "note": ""}
    )
    assert late.status_code == 409


def test_outcome_rules_and_address_confirmed_steers_mail(
    api: httpx.Client, clerk_api: httpx.Client, sandbox: httpx.Client
) -> None:
    created = submit(
        api,
        party("P1", phones=[mobile("0")], address="天津市河西区旧址路1号"),
        kinds=("judgment",),
        seconds_per_day=5,
    )
    task = created["tasks"][0]
    order = _open_order(clerk_api, task["id"], "phone")
    wrong = clerk_api.post(
        f"/v1/work-orders/{order['id']}/outcome", json={"outcome": "served_in_person"}
    )
    assert wrong.status_code == 422
    new_address = "天津市河西区新址路2号"
    ok = clerk_api.post(
        f"/v1/work-orders/{order['id']}/outcome",
        json={
            "outcome": "reached_address_confirmed",
            "note": "本人确认",
            "address": {"text": new_address, "postcode": "300201"},
        },
    )
    assert ok.status_code == 200, ok.text
    again = clerk_api.post(f"/v1/work-orders/{order['id']}/outcome", json={"outcome": "refused"})
    assert again.status_code == 409
    done = request_done(api, created["id"], timeout=60)
    served = tasks_by_ref(done)["P1"]
    assert served["status"] == "served" and served["method"] == "mail"
    assert len(sandbox_items(sandbox, "post", new_address)) == 1
    assert sandbox_items(sandbox, "post", "旧址路") == []


def test_worker_killed_mid_ladder_loses_nothing(
    api: httpx.Client, sandbox: httpx.Client, stack: Stack
) -> None:
    number, address = mobile("1"), "天津市河西区重启路3号"
    created = submit(api, party("P1", phones=[number], address=address))
    wait_until(lambda: service_sms(sandbox, number), 30, "the SMS")
    stack.kill_child("worker")
    try:
        # Receipts arriving while no worker runs wait in Temporal as signals.
        time.sleep(3)
    finally:
        stack.start_child("worker")
    done = request_done(api, created["id"], timeout=90)
    task = tasks_by_ref(done)["P1"]
    assert task["status"] == "served" and task["method"] == "mail"
    assert len(service_sms(sandbox, number)) == 1
    assert len(sandbox_items(sandbox, "post", address)) == 1
    kinds = [e["kind"] for e in timeline(api, task["id"])]
    assert kinds.count("plan") == 1 and kinds.count("finished") == 1


def test_new_contact_interrupts_public_notice(api: httpx.Client, sandbox: httpx.Client) -> None:
    created = submit(api, party("P1", address="天津市河西区查无此人路5号", born="20040404"))
    task = created["tasks"][0]

    def in_notice() -> bool:
        return any(e["kind"] == "notice_published" for e in timeline(api, task["id"]))

    wait_until(in_notice, 60, "the public notice")
    number = mobile("2")
    answer = api.post(f"/v1/tasks/{task['id']}/contacts", json={"phones": [number]})
    assert answer.status_code == 202, answer.text
    done = request_done(api, created["id"], timeout=60)
    served = tasks_by_ref(done)["P1"]
    assert served["status"] == "served" and served["method"] == "electronic"
    assert len(service_sms(sandbox, number)) == 1
    reasons = [
        e["detail"].get("reason", "")
        for e in timeline(api, task["id"])
        if e["kind"] == "step_failed"
    ]
    assert any("interrupted" in r for r in reasons)


def test_operator_skips_a_waiting_step(
    api: httpx.Client, ops_api: httpx.Client, clerk_api: httpx.Client
) -> None:
    created = submit(
        api, party("P1", phones=[mobile("0")], address="天津市河西区跳过路6号"), seconds_per_day=5
    )
    task = created["tasks"][0]
    order = _open_order(clerk_api, task["id"], "phone")
    answer = ops_api.post(f"/v1/tasks/{task['id']}/skip-step")
    assert answer.status_code == 202, answer.text
    wait_until(
        lambda: any(
            e["kind"] == "step_started" and e["step"] == "mail" for e in timeline(api, task["id"])
        ),
        30,
        "the mail rung",
    )
    late = clerk_api.post(f"/v1/work-orders/{order['id']}/outcome", json={"outcome": "refused"})
    assert late.status_code == 409
    reasons = [
        e["detail"].get("reason") for e in timeline(api, task["id"]) if e["kind"] == "step_failed"
    ]
    assert "skipped by an operator" in reasons

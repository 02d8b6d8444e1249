"""Every scenario row of the sandbox, climbed to its end state on the real stack."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from domain.pure.legal_calendar import LegalCalendar
from tests.e2e.support import (
    first_legal_date,
    flash_sms,
    mobile,
    party,
    request_body,
    request_done,
    sandbox_items,
    service_sms,
    tasks_by_ref,
    timeline,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def matrix(api: httpx.Client) -> dict[str, Any]:
    """One ordinary request whose parties cover every scenario row; waits until it ends."""
    phones = {
        k: mobile(last)
        for k, last in {"E1": "2", "E2": "1", "E3": "1", "E4": "0", "E5": "9"}.items()
    }
    parties = [
        party("E1", phones=[phones["E1"]], consent=True),
        party("E2", phones=[phones["E2"]], consent=True),
        party("E3", phones=[phones["E3"]], address="天津市河西区围堤道2号"),
        # A refusal serves on the return date only at a confirmed address (CPL 91, issue 12).
        party("E4", phones=[phones["E4"]], address="天津市河西区拒收路4号", confirmed=True),
        party("E5", phones=[phones["E5"]], address="天津市河西区大沽南路5号"),
        party(
            "M1",
            emails=["bounce.m1@example.com"],
            address="天津市河西区拒收路6号",
            born="20010101",
            confirmed=True,
        ),
        party("R1", address=None, born="19800101"),
        party("N1", address="天津市河西区查无此人路7号", born="20020202"),
        party("C1", emails=["c1@example.com"], consent=True),
    ]
    created = api.post("/v1/service-requests", json=request_body(parties))
    assert created.status_code == 201, created.text
    done = request_done(api, created.json()["id"], timeout=150)
    return {"request": done, "tasks": tasks_by_ref(done), "phones": phones}


def _served(task: dict[str, Any], method: str) -> date:
    assert task["status"] == "served", task
    assert task["method"] == method, task
    return date.fromisoformat(task["served_on"])


def test_request_completes_with_every_party_ended(matrix: dict[str, Any]) -> None:
    assert matrix["request"]["status"] == "completed"
    assert {t["status"] for t in matrix["tasks"].values()} <= {"served", "failed"}


def test_opened_link_serves_electronically(api: httpx.Client, matrix: dict[str, Any]) -> None:
    task = matrix["tasks"]["E1"]
    served = _served(task, "electronic")
    # Served on the day of the receipt: after the SMS went out, no later than the task ended.
    sent = first_legal_date(api, task["id"], "step_started", "electronic")
    assert sent <= served <= first_legal_date(api, task["id"], "finished")


def test_delivery_report_serves_at_a_consented_number(
    matrix: dict[str, Any], sandbox: httpx.Client
) -> None:
    _served(matrix["tasks"]["E2"], "electronic")
    sms = service_sms(sandbox, matrix["phones"]["E2"])
    assert len(sms) == 1
    assert "12368" in sms[0]["text"] and "张*" in sms[0]["text"]
    assert "/s/" in sms[0]["text"]  # the portal link
    flash = flash_sms(sandbox, matrix["phones"]["E2"])
    assert len(flash) == 1 and "/s/" not in flash[0]["text"]


def test_delivery_without_consent_is_only_a_reminder(
    api: httpx.Client, matrix: dict[str, Any]
) -> None:
    task = matrix["tasks"]["E3"]
    served = _served(task, "mail")
    steps = [e["step"] for e in timeline(api, task["id"]) if e["kind"] == "step_started"]
    assert steps == ["electronic", "phone", "mail"]
    posted = first_legal_date(api, task["id"], "step_started", "mail")
    # Signed for two legal days after posting.
    assert posted + timedelta(days=2) <= served <= posted + timedelta(days=3)


def test_refused_letter_serves_on_its_return_date(
    api: httpx.Client, matrix: dict[str, Any]
) -> None:
    task = matrix["tasks"]["E4"]
    served = _served(task, "mail")
    events = timeline(api, task["id"])
    failed = [e for e in events if e["kind"] == "step_failed"]
    assert failed[0]["step"] == "electronic"
    assert "failed" in failed[0]["detail"]["reason"]
    posted = first_legal_date(api, task["id"], "step_started", "mail")
    assert posted + timedelta(days=2) <= served <= posted + timedelta(days=3)


def test_gateway_outage_escalates_without_an_sms(
    matrix: dict[str, Any], sandbox: httpx.Client, api: httpx.Client
) -> None:
    task = matrix["tasks"]["E5"]
    _served(task, "mail")
    number = matrix["phones"]["E5"]
    assert service_sms(sandbox, number) == []
    refused = sandbox_items(sandbox, "sms/refused", number)
    assert len(refused) >= 2  # the activity retried before the rung gave up
    kinds = [e["kind"] for e in timeline(api, task["id"])]
    assert "send_failed" in kinds


def test_bounced_email_and_failed_repair_then_refused_letter(
    matrix: dict[str, Any], sandbox: httpx.Client, api: httpx.Client
) -> None:
    task = matrix["tasks"]["M1"]
    _served(task, "mail")
    assert len(sandbox_items(sandbox, "email", "bounce.m1@example.com")) == 1
    repair = [e for e in timeline(api, task["id"]) if e["kind"] == "repair"]
    assert repair and repair[0]["detail"]["found"] == "nothing"


def test_repair_finds_a_number_that_serves(
    api: httpx.Client, matrix: dict[str, Any], sandbox: httpx.Client
) -> None:
    task = matrix["tasks"]["R1"]
    _served(task, "electronic")
    repair = [e for e in timeline(api, task["id"]) if e["kind"] == "repair"]
    assert repair and repair[0]["detail"]["found"].startswith("139****")


def test_no_such_recipient_ends_in_public_notice(api: httpx.Client, matrix: dict[str, Any]) -> None:
    task = matrix["tasks"]["N1"]
    served = _served(task, "public_notice")
    notice = [e for e in timeline(api, task["id"]) if e["kind"] == "notice_published"][0]
    issued = date.fromisoformat(notice["detail"]["issued_on"])
    expected = LegalCalendar().add_days(issued, 30, roll=True).value
    assert served == expected
    assert date.fromisoformat(notice["detail"]["effective_on"]) == expected
    steps = [e["step"] for e in timeline(api, task["id"]) if e["kind"] == "step_started"]
    assert steps == ["mail", "direct", "public_notice"]


def test_consented_email_serves(matrix: dict[str, Any]) -> None:
    _served(matrix["tasks"]["C1"], "electronic")


def test_every_task_starts_with_its_plan(api: httpx.Client, matrix: dict[str, Any]) -> None:
    for task in matrix["tasks"].values():
        first = timeline(api, task["id"])[0]
        assert first["kind"] == "plan"
        assert first["detail"]["rule_version"]
        assert all(step["reason"] for step in first["detail"]["steps"])


def test_simplified_procedure_never_publishes(api: httpx.Client) -> None:
    body = request_body(
        [party("S1", address="天津市河西区查无此人路8号", born="20030303")], procedure="simplified"
    )
    created = api.post("/v1/service-requests", json=body)
    assert created.status_code == 201, created.text
    done = request_done(api, created.json()["id"], timeout=90)
    task = tasks_by_ref(done)["S1"]
    assert task["status"] == "failed"
    assert "Interp. 140" in task["reason"]
    steps = [e["step"] for e in timeline(api, task["id"]) if e["kind"] == "step_started"]
    assert "public_notice" not in steps


def test_lost_tracking_webhooks_are_made_up_by_polling(api: httpx.Client) -> None:
    """The post office never calls back for this address: the daily poll finds the signature."""
    body = request_body([party("W1", address="天津市河西区无回调路1号", born="20050505")])
    created = api.post("/v1/service-requests", json=body)
    assert created.status_code == 201, created.text
    done = request_done(api, created.json()["id"], timeout=90)
    task = tasks_by_ref(done)["W1"]
    served = _served(task, "mail")
    posted = first_legal_date(api, task["id"], "step_started", "mail")
    assert posted + timedelta(days=2) <= served <= posted + timedelta(days=3)


def test_returned_letter_sends_the_ladder_back_to_the_operators(api: httpx.Client) -> None:
    """A dead number and no such recipient: the operators' number is tried before the bailiff."""
    body = request_body(
        [party("Q1", phones=[mobile("0")], address="天津市河西区查无此人路9号", born="19770707")]
    )
    created = api.post("/v1/service-requests", json=body)
    assert created.status_code == 201, created.text
    done = request_done(api, created.json()["id"], timeout=120)
    task = tasks_by_ref(done)["Q1"]
    _served(task, "electronic")
    events = timeline(api, task["id"])
    steps = [e["step"] for e in events if e["kind"] == "step_started"]
    assert steps == ["electronic", "phone", "mail", "electronic"]
    repairs = [e for e in events if e["kind"] == "repair"]
    assert repairs and repairs[-1]["detail"]["found"].startswith("139****")

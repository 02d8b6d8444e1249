"""Parsing SMPP delivery receipts and turning them into provider events."""

from __future__ import annotations

from datetime import datetime

import pytest

from activities.channels.sms.smpp_receipts import (
    event_id,
    occurred_at,
    parse_receipt,
    receipt_event,
)
from domain.pure.clock import BEIJING
from sandbox.smpp_messages import receipt_text

RAW = (
    "id:7f3a sub:001 dlvrd:001 submit date:2609221528 done date:2609221530 "
    "stat:DELIVRD err:000 text:请查收 stat:FAKE"
)


def test_parse_a_receipt() -> None:
    receipt = parse_receipt(RAW)
    assert (receipt.message_id, receipt.stat, receipt.err) == ("7f3a", "DELIVRD", "000")
    assert receipt.done_date == "2609221530" and receipt.raw == RAW
    assert receipt.kind == "delivered"


@pytest.mark.parametrize(
    ("stat", "kind"),
    [
        ("DELIVRD", "delivered"),
        ("UNDELIV", "undeliverable"),
        ("EXPIRED", "undeliverable"),
        ("REJECTD", "undeliverable"),
        ("UNKNOWN", "undeliverable"),
        ("ENROUTE", None),
        ("ACCEPTD", None),
    ],
)
def test_states_map_to_kinds(stat: str, kind: str | None) -> None:
    assert parse_receipt(f"id:1 stat:{stat} err:000").kind == kind


def test_what_is_not_a_receipt_is_refused() -> None:
    with pytest.raises(ValueError, match="no id or no stat"):
        parse_receipt("hello from a handset")


def test_the_sandbox_receipt_reads_back() -> None:
    moment = datetime(2026, 9, 22, 15, 30, tzinfo=BEIJING)
    receipt = parse_receipt(receipt_text("abc", False, moment, moment))
    assert (receipt.message_id, receipt.stat, receipt.done_date) == ("abc", "UNDELIV", "2609221530")
    assert receipt.kind == "undeliverable"


def test_done_date_is_beijing_time() -> None:
    assert occurred_at("2609221530") == "2026-09-22T15:30:00+08:00"
    assert occurred_at("260922153045") == "2026-09-22T15:30:45+08:00"
    fallback = datetime(2026, 1, 2, 3, 4, tzinfo=BEIJING)
    assert occurred_at("", fallback) == fallback.isoformat()


def test_event_is_deterministic_per_message_and_state() -> None:
    delivered = parse_receipt(RAW)
    event = receipt_event(delivered, "task-1:electronic:1:phone0submitted")
    assert event == {
        "event_id": "smpp:7f3a:delivrd",
        "reference": "task-1:electronic:1:phone0submitted",
        "kind": "delivered",
        "occurred_at": "2026-09-22T15:30:00+08:00",
        "detail": {"message_id": "7f3a", "stat": "DELIVRD", "err": "000", "raw": RAW},
    }
    assert event_id(parse_receipt(RAW)) == event["event_id"]
    assert event_id(parse_receipt(RAW.replace("DELIVRD", "UNDELIV"))) != event["event_id"]

"""Unit tests for what a party's workflow makes of provider receipts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from domain.pure.ladder import Clock, Contact, ProviderEvent
from workflows.state import Heard, electronic_verdict, event_date

REAL = Clock()
CONFIRMED = Contact("phone", 0, "138****5678", confirmed=True)
UNCONFIRMED = Contact("phone", 0, "139****4321", confirmed=False, source="repaired")
# 2026-11-28T17:00Z is already 2026-11-29 in Beijing.
LATE_UTC = "2026-11-28T17:00:00+00:00"


def heard_of(*events: ProviderEvent) -> Heard:
    heard = Heard()
    for event in events:
        heard.add_event(event)
    return heard


def event(reference: str, kind: str, occurred_at: str = LATE_UTC) -> ProviderEvent:
    return ProviderEvent(reference=reference, kind=kind, occurred_at=occurred_at)


def test_event_date_is_the_beijing_date() -> None:
    assert event_date(REAL, event("a", "delivered")) == date(2026, 11, 29)
    assert event_date(REAL, event("a", "delivered", "2026-11-29T07:59:00+08:00")) == date(
        2026, 11, 29
    )


def test_event_date_on_the_accelerated_calendar() -> None:
    origin = datetime(2026, 11, 28, tzinfo=UTC)
    clock = Clock(mode="accelerated", seconds_per_day=60.0, origin=origin.isoformat())
    at = (origin + timedelta(seconds=120)).isoformat()
    assert event_date(clock, event("a", "delivered", at)) == date(2026, 11, 30)


def test_delivered_at_confirmed_contact_serves_on_its_legal_date() -> None:
    served, failed = electronic_verdict(
        heard_of(event("sms-1", "delivered")), REAL, {"sms-1": CONFIRMED}
    )
    assert served == date(2026, 11, 29)
    assert failed == set()


def test_delivered_at_unconfirmed_contact_does_not_serve() -> None:
    served, failed = electronic_verdict(
        heard_of(event("sms-1", "delivered")), REAL, {"sms-1": UNCONFIRMED}
    )
    assert served is None
    assert failed == set()


def test_opened_alone_does_not_serve() -> None:
    for contact in (CONFIRMED, UNCONFIRMED):
        served, _ = electronic_verdict(heard_of(event("r", "opened")), REAL, {"r": contact})
        assert served is None


def test_confirmed_serves_even_at_unconfirmed_contact() -> None:
    served, failed = electronic_verdict(
        heard_of(event("sms-1", "delivered"), event("sms-1", "confirmed")),
        REAL,
        {"sms-1": UNCONFIRMED},
    )
    assert served == date(2026, 11, 29)
    assert failed == set()


def test_undeliverable_and_bounced_mark_failed() -> None:
    heard = heard_of(event("sms-1", "undeliverable"), event("mail-1", "bounced"))
    served, failed = electronic_verdict(heard, REAL, {"sms-1": CONFIRMED, "mail-1": CONFIRMED})
    assert served is None
    assert failed == {"sms-1", "mail-1"}


def test_events_for_unknown_references_are_ignored() -> None:
    heard = heard_of(event("other", "confirmed"), event("other-2", "undeliverable"))
    served, failed = electronic_verdict(heard, REAL, {"sms-1": CONFIRMED})
    assert served is None
    assert failed == set()


def test_earliest_serving_date_wins() -> None:
    heard = heard_of(
        event("sms-2", "delivered", "2026-12-03T10:00:00+08:00"),
        event("mail-1", "delivered", "2026-12-01T23:30:00+08:00"),
        event("sms-1", "confirmed", "2026-12-02T09:00:00+08:00"),
        event("sms-3", "undeliverable", "2026-11-30T09:00:00+08:00"),
    )
    sent = {"sms-1": UNCONFIRMED, "sms-2": CONFIRMED, "mail-1": CONFIRMED, "sms-3": CONFIRMED}
    served, failed = electronic_verdict(heard, REAL, sent)
    assert served == date(2026, 12, 1)
    assert failed == {"sms-3"}


def test_one_channel_failing_does_not_undo_another_serving() -> None:
    heard = heard_of(event("sms-1", "undeliverable"), event("mail-1", "delivered"))
    served, failed = electronic_verdict(heard, REAL, {"sms-1": CONFIRMED, "mail-1": CONFIRMED})
    assert served == date(2026, 11, 29)
    assert failed == {"sms-1"}


def test_add_event_keeps_every_fact_once() -> None:
    """A repeat is dropped; the same kind at another time is another fact (issue 12, item 2)."""
    heard = Heard()
    first = event("sms-1", "delivered", "2026-11-28T01:00:00+00:00")
    heard.add_event(first)
    heard.add_event(event("sms-1", "delivered", "2026-11-28T02:00:00+00:00"))
    heard.add_event(first)
    heard.add_event(event("sms-1", "confirmed"))
    heard.add_event(event("sms-2", "delivered"))
    assert [(e.reference, e.kind, e.occurred_at[11:13]) for e in heard.events] == [
        ("sms-1", "delivered", "01"),
        ("sms-1", "delivered", "02"),
        ("sms-1", "confirmed", "17"),
        ("sms-2", "delivered", "17"),
    ]
    assert [e.kind for e in heard.events_for("sms-1")] == ["delivered", "delivered", "confirmed"]
    assert heard.events_for("nothing") == []


def test_a_receipt_stamped_before_the_send_counts_from_the_send() -> None:
    # SMPP done dates have minute precision: on a 1-second legal day that is weeks early.
    origin = datetime(2026, 11, 28, 12, 0, 30, tzinfo=UTC)
    clock = Clock(mode="accelerated", seconds_per_day=1.0, origin=origin.isoformat())
    stamped = event("a", "delivered", "2026-11-28T12:00:00+00:00")
    assert event_date(clock, stamped) < date(2026, 11, 1)
    sent_at = origin + timedelta(seconds=2)
    served, _ = electronic_verdict(heard_of(stamped), clock, {"a": CONFIRMED}, sent_at)
    assert served == event_date(clock, event("a", "delivered", sent_at.isoformat()))

"""Issue 12, item 11: a long SMS reached the party only when every part's report says so."""

from __future__ import annotations

from domain.pure.ladder import Clock, ProviderEvent
from domain.pure.served_on import electronic_served

CLOCK = Clock()


def part(n: int, at: str, parts: int = 3, kind: str = "delivered") -> ProviderEvent:
    """Returns the report of one part of a three-part SMS."""
    return ProviderEvent("sms-1", kind, at, {"part": str(n), "parts": str(parts)})


def test_two_of_three_parts_delivered_is_not_reached() -> None:
    """The link may be in the missing part: nothing serves yet."""
    events = [part(1, "2026-09-30T10:00:00+08:00"), part(2, "2026-09-30T10:00:00+08:00")]
    served, failed = electronic_served(CLOCK, events, {"sms-1": True})
    assert (served, failed) == (None, set())


def test_every_part_delivered_serves_on_the_last_parts_date() -> None:
    """The message reached the party when its last part did (here after midnight)."""
    events = [
        part(1, "2026-09-30T23:59:00+08:00"),
        part(3, "2026-10-01T00:01:00+08:00"),
        part(2, "2026-09-30T23:59:30+08:00"),
    ]
    served, _ = electronic_served(CLOCK, events, {"sms-1": True})
    assert served is not None and served.on.isoformat() == "2026-10-01"
    assert served.rule == "electronic_reached"


def test_an_undeliverable_part_fails_the_message() -> None:
    """One part that never arrives fails the attempt: the ladder goes on."""
    events = [part(1, "2026-09-30T10:00:00+08:00"), part(2, "2026-09-30T10:01:00+08:00", 3,
                                                         "undeliverable")]  # fmt: skip
    served, failed = electronic_served(CLOCK, events, {"sms-1": True})
    assert (served, failed) == (None, {"sms-1"})

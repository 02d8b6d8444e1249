"""The confidence of a contact point: successes, failures, death and fading with age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.address_book.book import HALF_LIFE_DAYS, confidence_now, record_failure, record_success
from domain.address_book.confidence import CEILING, FLOOR
from domain.tables.core import ContactPoint

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def point(confidence: float = 0.5) -> ContactPoint:
    """Returns a fresh, never-tried point first seen at T0."""
    return ContactPoint(
        kind="phone",
        source="submitted",
        confidence=confidence,
        successes=0,
        failures=0,
        first_seen_at=T0,
        last_seen_at=T0,
        updated_at=T0,
    )


def test_fresh_point_keeps_its_start_value() -> None:
    assert confidence_now(point(), T0) == 0.5


def test_a_success_raises_confidence_and_records_the_case() -> None:
    p = point()
    record_success(p, at=T0, case_number="（2026）津0103民初1号")
    assert confidence_now(p, T0) == pytest.approx(0.8)
    assert (p.successes, p.failures, p.last_success_case) == (1, 0, "（2026）津0103民初1号")
    record_success(p, at=T0, case_number="（2026）津0103民初2号")
    assert confidence_now(p, T0) == CEILING


def test_a_year_of_silence_halves_it() -> None:
    assert HALF_LIFE_DAYS == 365
    p = point()
    record_success(p, at=T0, case_number="c")
    assert confidence_now(p, T0 + timedelta(days=365)) == pytest.approx(0.4)
    assert confidence_now(p, T0 + timedelta(days=730)) == pytest.approx(0.2)


def test_fading_stops_at_the_floor() -> None:
    assert confidence_now(point(), T0 + timedelta(days=365 * 20)) == FLOOR


def test_naive_times_from_sqlite_count_as_utc() -> None:
    p = point()
    p.last_seen_at = T0.replace(tzinfo=None)
    assert confidence_now(p, T0 + timedelta(days=365)) == pytest.approx(0.25)


def test_each_failure_halves_it_and_three_in_a_row_kill_it() -> None:
    p = point()
    record_failure(p, at=T0, reason="unclaimed")
    assert confidence_now(p, T0) == pytest.approx(0.25)
    record_failure(p, at=T0, reason="unreachable")
    assert confidence_now(p, T0) == pytest.approx(0.125)
    record_failure(p, at=T0, reason="unreachable")
    assert confidence_now(p, T0) == 0.0
    assert (p.failures, p.last_failure_reason) == (3, "unreachable")


def test_a_success_between_failures_resets_the_run() -> None:
    p = point()
    record_failure(p, at=T0, reason="unclaimed")
    record_failure(p, at=T0, reason="unclaimed")
    record_success(p, at=T0, case_number="c")
    record_failure(p, at=T0, reason="unclaimed")
    assert p.failures == 1
    assert confidence_now(p, T0) > 0.0


@pytest.mark.parametrize(
    "reason", ["undeliverable", "bounced", "no_such_recipient", "moved_unknown", "address_unknown"]
)
def test_a_dead_reason_kills_at_once(reason: str) -> None:
    p = point(0.9)
    record_failure(p, at=T0, reason=reason)
    assert confidence_now(p, T0) == 0.0
    assert confidence_now(p, T0 + timedelta(days=10)) == 0.0  # dead is not floored


def test_a_later_success_revives_a_dead_point() -> None:
    p = point()
    record_failure(p, at=T0, reason="bounced")
    record_success(p, at=T0 + timedelta(days=1), case_number="c")
    assert confidence_now(p, T0 + timedelta(days=1)) == pytest.approx(0.3)

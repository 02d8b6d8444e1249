"""Unit tests for the plan's clock: real and accelerated legal time, Beijing dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.pure.clock import (
    legal_date,
    real_duration,
    real_until_legal_date,
    seconds_per_day,
    virtual_instant,
)
from domain.pure.ladder import Clock

REAL = Clock()
ORIGIN = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
FAST = Clock(mode="accelerated", seconds_per_day=60.0, origin=ORIGIN.isoformat())


def test_real_clock_maps_identity() -> None:
    instant = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
    assert virtual_instant(REAL, instant) == instant
    assert seconds_per_day(REAL) == 86400.0


def test_real_clock_ignores_seconds_per_day() -> None:
    clock = Clock(mode="real", seconds_per_day=60.0, origin=ORIGIN.isoformat())
    instant = ORIGIN + timedelta(hours=5)
    assert virtual_instant(clock, instant) == instant
    assert real_duration(clock, 1) == timedelta(days=1)


def test_accelerated_origin_maps_to_itself() -> None:
    assert virtual_instant(FAST, ORIGIN) == ORIGIN


@pytest.mark.parametrize(
    ("real_seconds", "legal"),
    [
        (60, timedelta(days=1)),
        (1, timedelta(days=1 / 60)),
        (30, timedelta(hours=12)),
        (30 * 60, timedelta(days=30)),
        (-60, timedelta(days=-1)),
    ],
)
def test_accelerated_real_second_is_a_fraction_of_a_legal_day(
    real_seconds: float, legal: timedelta
) -> None:
    instant = virtual_instant(FAST, ORIGIN + timedelta(seconds=real_seconds))
    assert (instant - ORIGIN).total_seconds() == pytest.approx(legal.total_seconds())


def test_legal_date_is_the_beijing_date() -> None:
    assert legal_date(REAL, datetime(2026, 11, 28, 17, 0, tzinfo=UTC)) == date(2026, 11, 29)
    assert legal_date(REAL, datetime(2026, 11, 28, 15, 59, 59, tzinfo=UTC)) == date(2026, 11, 28)
    assert legal_date(REAL, datetime(2026, 11, 28, 16, 0, tzinfo=UTC)) == date(2026, 11, 29)


def test_legal_date_on_the_accelerated_calendar() -> None:
    # 42.5 real seconds = 17 legal hours: 2026-11-28T17:00Z, already the 29th in Beijing.
    assert legal_date(FAST, ORIGIN + timedelta(seconds=42.5)) == date(2026, 11, 29)
    assert legal_date(FAST, ORIGIN + timedelta(seconds=39)) == date(2026, 11, 28)
    assert legal_date(FAST, ORIGIN + timedelta(seconds=30 * 60)) == date(2026, 12, 28)


@pytest.mark.parametrize("days", [0, 0.5, 1, 3, 30, 60])
def test_real_duration_scales(days: float) -> None:
    assert real_duration(REAL, days) == timedelta(days=days)
    assert real_duration(FAST, days).total_seconds() == pytest.approx(days * 60)


def test_real_until_past_date_is_zero() -> None:
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert real_until_legal_date(REAL, now, date(2026, 11, 1)) == timedelta(0)
    # The start of today (Beijing) has passed too.
    assert real_until_legal_date(REAL, now, date(2026, 11, 28)) == timedelta(0)
    assert real_until_legal_date(FAST, ORIGIN + timedelta(seconds=90), date(2026, 11, 29)) == (
        timedelta(0)
    )


def test_real_until_future_date_on_real_clock() -> None:
    # 2026-11-28T16:00Z is 00:00 on the 29th in Beijing.
    now = datetime(2026, 11, 28, 16, 0, tzinfo=UTC)
    assert real_until_legal_date(REAL, now, date(2026, 11, 30)) == timedelta(days=1)
    assert real_until_legal_date(REAL, now, date(2026, 11, 29)) == timedelta(0)
    later = datetime(2026, 11, 28, 22, 0, tzinfo=UTC)
    assert real_until_legal_date(REAL, later, date(2026, 11, 30)) == timedelta(hours=18)


def test_real_until_future_date_on_accelerated_clock() -> None:
    # Origin 2026-11-28T00:00Z is 08:00 Beijing; the 29th starts 16 legal hours later.
    assert real_until_legal_date(FAST, ORIGIN, date(2026, 11, 29)).total_seconds() == (
        pytest.approx(40.0)
    )
    assert real_until_legal_date(FAST, ORIGIN, date(2026, 12, 29)).total_seconds() == (
        pytest.approx(40.0 + 30 * 60)
    )
    # Half a legal day later only 4 legal hours remain.
    now = ORIGIN + timedelta(seconds=30)
    assert real_until_legal_date(FAST, now, date(2026, 11, 29)).total_seconds() == (
        pytest.approx(10.0)
    )


def test_sleeping_the_duration_lands_on_the_target_date() -> None:
    now = ORIGIN + timedelta(seconds=7.3)
    target = date(2026, 12, 8)
    wake = now + real_until_legal_date(FAST, now, target)
    assert legal_date(FAST, wake) == target
    assert legal_date(FAST, wake - timedelta(seconds=0.01)) == target - timedelta(days=1)

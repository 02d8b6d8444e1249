"""The plan's clock: maps real instants to the virtual legal calendar and legal days to sleeps.

With an accelerated clock a legal day lasts N real seconds, so a 30-day public notice takes
30·N seconds; every legal date is read off the same virtual calendar, so dates stay consistent.
Pure and deterministic: workflows use it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from domain.pure.ladder import Clock

# China has kept UTC+8 without daylight saving since 1991: a fixed offset is exact and needs no
# tz database (which workflow sandboxes would have to read from disk).
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
SECONDS_PER_LEGAL_DAY = 86400.0


def seconds_per_day(clock: Clock) -> float:
    """Returns how many real seconds one legal day lasts on this clock."""
    return clock.seconds_per_day if clock.mode == "accelerated" else SECONDS_PER_LEGAL_DAY


def real_duration(clock: Clock, legal_days: float) -> timedelta:
    """Returns the real time that legal_days take on this clock."""
    return timedelta(seconds=legal_days * seconds_per_day(clock))


def virtual_instant(clock: Clock, real: datetime) -> datetime:
    """Returns the instant on the virtual calendar that the real instant maps to."""
    if clock.mode != "accelerated" or not clock.origin:
        return real
    origin = datetime.fromisoformat(clock.origin)
    factor = SECONDS_PER_LEGAL_DAY / seconds_per_day(clock)
    return origin + (real - origin) * factor


def legal_date(clock: Clock, real: datetime) -> date:
    """Returns the Beijing date, on the virtual calendar, of a real instant."""
    if real.utcoffset() is None:
        # A time without a zone is Beijing time, never the server's (issue 12, item 5).
        real = real.replace(tzinfo=BEIJING)
    return virtual_instant(clock, real).astimezone(BEIJING).date()


def real_until_legal_date(clock: Clock, now: datetime, target: date) -> timedelta:
    """Returns the real time from now until the start (00:00 Beijing) of a legal date."""
    virtual_now = virtual_instant(clock, now)
    start = datetime(target.year, target.month, target.day, tzinfo=BEIJING)
    legal_seconds = max(0.0, (start - virtual_now).total_seconds())
    return real_duration(clock, legal_seconds / SECONDS_PER_LEGAL_DAY)

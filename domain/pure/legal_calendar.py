"""The legal calendar of CPL 85: periods, workdays and Beijing dates.

Deterministic and free of I/O at call time, so workflows may import it. chinese-calendar only
knows some years (2004-2026 in 1.11.0); an administrator-maintained override per year fills the
gaps. Where neither has data, weekends alone decide and the result is marked unconfirmed.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import chinese_calendar

from domain.pure.ladder import AdministeredYear

# A long holiday plus weekends is under two weeks; more means the override data is wrong.
_MAX_ROLL_DAYS = 60


def _load_beijing() -> tzinfo:
    # Loaded at import: the workflow sandbox forbids opening files at run time. China has kept
    # UTC+8 without daylight saving since 1991, so the fixed offset is exact for any legal date.
    try:
        return ZoneInfo("Asia/Shanghai")
    except ZoneInfoNotFoundError:
        return timezone(timedelta(hours=8), "Asia/Shanghai")


BEIJING = _load_beijing()


def beijing_date(instant: datetime) -> date:
    """Returns the Asia/Shanghai calendar date of an aware datetime."""
    if instant.utcoffset() is None:
        raise ValueError("a legal date needs an aware datetime; attach a time zone first")
    return instant.astimezone(BEIJING).date()


@dataclass(frozen=True)
class YearOverride:
    """Holidays and make-up workdays an administrator entered for one year."""

    year: int
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if any(d.year != self.year for d in self.holidays | self.workdays):
            raise ValueError(f"every date of the {self.year} override must lie in {self.year}")
        if self.holidays & self.workdays:
            raise ValueError(f"a date of the {self.year} override is both holiday and workday")


def year_override(entered: AdministeredYear) -> YearOverride:
    """Returns the override of a year an administrator entered (ISO dates in, dates out)."""
    return YearOverride(
        entered.year,
        frozenset(date.fromisoformat(d) for d in entered.holidays),
        frozenset(date.fromisoformat(d) for d in entered.workdays),
    )


def administered_calendar(years: Iterable[AdministeredYear]) -> LegalCalendar:
    """Returns the legal calendar layered with the entered years (a later entry wins)."""
    return LegalCalendar({y.year: year_override(y) for y in years})


@dataclass(frozen=True)
class LegalDate:
    """A computed legal date; unconfirmed when a year without calendar data was consulted."""

    value: date
    confirmed: bool
    # Which years lacked data, so the caller can name them in the alert to administrators.
    unconfirmed_years: frozenset[int] = field(default=frozenset())

    def __post_init__(self) -> None:
        if self.confirmed and self.unconfirmed_years:
            raise ValueError("a legal date cannot be confirmed while some years lack data")


def _library_is_workday(day: date) -> bool | None:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        # The library raises for years it has no data for: the caller falls back and says so.
        return None


class LegalCalendar:
    """Workdays per chinese-calendar, corrected and extended by per-year overrides."""

    def __init__(self, overrides: Mapping[int, YearOverride] | None = None) -> None:
        self._overrides = dict(overrides or {})
        for year, override in self._overrides.items():
            if override.year != year:
                raise ValueError(f"the override filed under {year} is for {override.year}")

    def has_data(self, year: int) -> bool:
        """Tells whether holidays of a year are known (from the library or an override)."""
        return year in self._overrides or _library_is_workday(date(year, 1, 1)) is not None

    def unconfirmed_years(self, first: date, last: date) -> frozenset[int]:
        """Returns the years between two dates, inclusive, that have no calendar data."""
        return frozenset(y for y in range(first.year, last.year + 1) if not self.has_data(y))

    def workday_status(self, day: date) -> tuple[bool, bool]:
        """Returns (is_workday, confirmed) for a day; unconfirmed means weekends alone decided."""
        override = self._overrides.get(day.year)
        if override is not None:
            if day in override.holidays:
                return False, True
            if day in override.workdays:
                return True, True
        library = _library_is_workday(day)
        if library is not None:
            return library, True
        # An override for the year is the administrator's full statement of it: dates not
        # listed follow the weekday rule and count as confirmed.
        return day.weekday() < 5, override is not None

    def is_workday(self, day: date) -> bool:
        """Tells whether a day is a workday (make-up Saturdays included)."""
        return self.workday_status(day)[0]

    def roll_to_workday(self, day: date) -> LegalDate:
        """Returns the day itself if it is a workday, else the next workday (CPL 85)."""
        missing: set[int] = set()
        current = day
        for _ in range(_MAX_ROLL_DAYS):
            workday, confirmed = self.workday_status(current)
            if not confirmed:
                missing.add(current.year)
            if workday:
                return LegalDate(current, not missing, frozenset(missing))
            current += timedelta(days=1)
        raise ValueError(f"no workday within {_MAX_ROLL_DAYS} days of {day}; check the overrides")

    def add_days(self, start: date, days: int, roll: bool = True) -> LegalDate:
        """Returns the last day of a period of days, the start day not counted (CPL 85)."""
        return self._finish(start + timedelta(days=days), roll)

    def add_workdays(self, start: date, workdays: int) -> LegalDate:
        """Returns the day on which the Nth workday after start ends (a due date for people)."""
        missing: set[int] = set()
        current, counted = start, 0
        while counted < workdays:
            current += timedelta(days=1)
            workday, confirmed = self.workday_status(current)
            if not confirmed:
                missing.add(current.year)
            counted += workday
        return LegalDate(current, not missing, frozenset(missing))

    def add_months(self, start: date, months: int, roll: bool = True) -> LegalDate:
        """Returns the last day of a period of months: same day of month, else the month's end."""
        year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
        last_day = calendar.monthrange(year, month0 + 1)[1]
        return self._finish(date(year, month0 + 1, min(start.day, last_day)), roll)

    def _finish(self, end: date, roll: bool) -> LegalDate:
        # Without the roll no holiday data is consulted, so the date is certain.
        return self.roll_to_workday(end) if roll else LegalDate(end, True)

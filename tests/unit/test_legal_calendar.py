"""Unit tests for the legal calendar, with the vectors of DOMAIN.md."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import chinese_calendar
import pytest

from domain.pure.legal_calendar import (
    LegalCalendar,
    LegalDate,
    YearOverride,
    beijing_date,
)

CAL = LegalCalendar()


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 9, 22), 15, date(2026, 10, 8)),
        (date(2026, 2, 13), 15, date(2026, 2, 28)),  # a make-up Saturday: no roll
        (date(2026, 11, 13), 15, date(2026, 11, 30)),
        (date(2026, 9, 1), 30, date(2026, 10, 8)),  # public notice
    ],
)
def test_add_days_vectors(start: date, days: int, expected: date) -> None:
    assert CAL.add_days(start, days) == LegalDate(expected, True)


def test_add_days_without_roll() -> None:
    assert CAL.add_days(date(2026, 9, 1), 30, roll=False) == LegalDate(date(2026, 10, 1), True)


def test_add_months_vectors() -> None:
    assert CAL.add_months(date(2026, 5, 31), 1) == LegalDate(date(2026, 6, 30), True)
    assert CAL.add_months(date(2026, 1, 31), 1, roll=False).value == date(2026, 2, 28)
    assert CAL.add_months(date(2025, 11, 15), 3, roll=False).value == date(2026, 2, 15)
    # 2026-02-15 is a Sunday inside the Spring Festival break.
    assert (
        CAL.add_months(date(2025, 11, 15), 3).value == CAL.roll_to_workday(date(2026, 2, 15)).value
    )


def test_is_workday_vectors() -> None:
    assert CAL.is_workday(date(2026, 2, 28))
    assert not CAL.is_workday(date(2026, 10, 7))
    assert CAL.workday_status(date(2026, 10, 7)) == (False, True)


def test_roll_matches_find_workday_zero() -> None:
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert CAL.roll_to_workday(day).value == chinese_calendar.find_workday(0, day)
        day += timedelta(days=1)


def test_unknown_year_falls_back_to_weekends_and_says_so() -> None:
    saturday = date(2027, 1, 2)
    assert CAL.workday_status(saturday) == (False, False)
    rolled = CAL.roll_to_workday(saturday)
    assert rolled == LegalDate(date(2027, 1, 4), False, frozenset({2027}))
    assert not CAL.add_days(date(2026, 12, 20), 13).confirmed
    assert not CAL.has_data(2027)
    assert not CAL.has_data(2003)
    assert CAL.unconfirmed_years(date(2026, 6, 1), date(2028, 1, 1)) == frozenset({2027, 2028})


def test_unknown_year_without_roll_is_confirmed() -> None:
    assert CAL.add_days(date(2026, 12, 20), 13, roll=False) == LegalDate(date(2027, 1, 2), True)


def test_override_confirms_a_year_and_applies_its_holidays() -> None:
    override = YearOverride(
        year=2027,
        holidays=frozenset({date(2027, 1, 1), date(2027, 1, 4)}),
        workdays=frozenset({date(2027, 1, 9)}),
    )
    cal = LegalCalendar({2027: override})
    assert cal.has_data(2027)
    assert cal.roll_to_workday(date(2027, 1, 1)) == LegalDate(date(2027, 1, 5), True)
    assert cal.workday_status(date(2027, 1, 9)) == (True, True)  # make-up Saturday
    assert cal.workday_status(date(2027, 1, 10)) == (False, True)
    assert cal.add_days(date(2026, 12, 20), 12) == LegalDate(date(2027, 1, 5), True)


def test_override_corrects_a_known_year() -> None:
    cal = LegalCalendar({2026: YearOverride(2026, holidays=frozenset({date(2026, 11, 30)}))})
    assert cal.add_days(date(2026, 11, 13), 15) == LegalDate(date(2026, 12, 1), True)


def test_override_rejects_inconsistent_data() -> None:
    with pytest.raises(ValueError):
        YearOverride(2027, holidays=frozenset({date(2026, 10, 1)}))
    with pytest.raises(ValueError):
        YearOverride(
            2027, holidays=frozenset({date(2027, 1, 1)}), workdays=frozenset({date(2027, 1, 1)})
        )
    with pytest.raises(ValueError):
        LegalCalendar({2028: YearOverride(2027)})


def test_roll_gives_up_on_absurd_overrides() -> None:
    every_day = frozenset(date(2027, 1, 1) + timedelta(days=i) for i in range(365))
    with pytest.raises(ValueError):
        LegalCalendar({2027: YearOverride(2027, holidays=every_day)}).roll_to_workday(
            date(2027, 1, 1)
        )


def test_beijing_date() -> None:
    assert beijing_date(datetime(2026, 9, 30, 16, 0, tzinfo=UTC)) == date(2026, 10, 1)
    assert beijing_date(datetime(2026, 9, 30, 15, 59, tzinfo=UTC)) == date(2026, 9, 30)
    with pytest.raises(ValueError):
        beijing_date(datetime(2026, 9, 30, 16, 0))


def test_workdays_skip_the_national_day_holiday() -> None:
    # 2026-09-30 + 3 workdays: 1-7 October are holidays; 8, 9 and Saturday 10 October work.
    due = LegalCalendar().add_workdays(date(2026, 9, 30), 3)
    assert due.value == date(2026, 10, 10)  # a make-up Saturday counts
    assert due.confirmed


def test_workdays_count_a_make_up_saturday() -> None:
    # 2026-02-27 (Fri) + 1 workday: Saturday 2026-02-28 is a make-up workday.
    assert LegalCalendar().add_workdays(date(2026, 2, 27), 1).value == date(2026, 2, 28)


def test_workdays_into_an_unknown_year_are_provisional() -> None:
    due = LegalCalendar().add_workdays(date(2026, 12, 30), 3)
    assert not due.confirmed and 2027 in due.unconfirmed_years

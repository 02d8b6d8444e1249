"""The service windows against DOMAIN.md's vectors and the legal calendar (CPL 85)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.pure.deadlines import CaseDates, latest_service, window_rules
from domain.pure.legal_calendar import LegalCalendar, YearOverride

CAL = LegalCalendar()


def test_domain_vectors_hold_on_the_calendar_the_windows_use() -> None:
    assert CAL.add_days(date(2026, 9, 22), 15).value == date(2026, 10, 8)
    assert CAL.add_days(date(2026, 2, 13), 15).value == date(2026, 2, 28)
    assert CAL.add_days(date(2026, 11, 13), 15).value == date(2026, 11, 30)
    assert CAL.add_days(date(2026, 9, 1), 30).value == date(2026, 10, 8)
    assert CAL.add_days(date(2026, 9, 1), 30, roll=False).value == date(2026, 10, 1)


def test_complaint_copy_within_five_days_of_acceptance_rolls_over_national_day() -> None:
    latest = latest_service(["complaint_copy"], "ordinary",
                            CaseDates(accepted_on=date(2026, 9, 26)), CAL)  # fmt: skip
    assert latest is not None
    assert (latest.on, latest.rule, latest.article) == (date(2026, 10, 8), "complaint_copy",
                                                        "CPL 128")  # fmt: skip


def test_summons_at_least_three_days_before_the_hearing_never_rolls() -> None:
    dates = CaseDates(hearing_on=date(2026, 10, 9))
    latest = latest_service(["summons"], "simplified", dates, CAL)
    assert latest is not None and (latest.on, latest.article) == (date(2026, 10, 6), "CPL 139")


@pytest.mark.parametrize(
    ("hearing", "expected"),
    [
        # 2026-09-23 + 15 = 2026-10-08, a workday before the hearing.
        (date(2026, 10, 9), date(2026, 9, 23)),
        # Served 09-16..09-22 the period ends in the National Day week and rolls to 10-08, the
        # hearing day itself: the latest fitting day is 09-15 (ends 09-30).
        (date(2026, 10, 8), date(2026, 9, 15)),
        # 2026-02-13 + 15 = 02-28, a make-up Saturday: a workday, no roll, so it fits.
        (date(2026, 3, 1), date(2026, 2, 13)),
        # 2026-11-13 + 15 = 11-28 (Saturday) rolls to 11-30, the hearing: one day earlier.
        (date(2026, 11, 30), date(2026, 11, 12)),
    ],
)
def test_answer_period_ends_before_the_hearing(hearing: date, expected: date) -> None:
    latest = latest_service(["complaint_copy"], "ordinary", CaseDates(hearing_on=hearing), CAL)
    assert latest is not None and latest.rule == "answer_period" and latest.on == expected


def test_answer_period_is_a_rule_of_ordinary_procedure_only() -> None:
    dates = CaseDates(hearing_on=date(2026, 10, 9))
    assert latest_service(["complaint_copy"], "simplified", dates, CAL) is None


def test_judgment_within_ten_days_of_pronouncement() -> None:
    dates = CaseDates(pronounced_on=date(2026, 9, 28))
    latest = latest_service(["judgment"], "ordinary", dates, CAL)
    assert latest is not None and (latest.on, latest.article) == (date(2026, 10, 8), "CPL 151")


def test_the_earliest_window_of_the_documents_wins() -> None:
    dates = CaseDates(accepted_on=date(2026, 9, 1), hearing_on=date(2026, 10, 9))
    latest = latest_service(["summons", "complaint_copy"], "ordinary", dates, CAL)
    assert latest is not None and (latest.on, latest.rule) == (date(2026, 9, 7), "complaint_copy")


def test_no_dates_no_deadline() -> None:
    assert latest_service(["summons", "judgment"], "ordinary", CaseDates(), CAL) is None


def test_windows_are_settings() -> None:
    rules = window_rules({"hearing_notice": 5})
    dates = CaseDates(hearing_on=date(2026, 10, 9))
    latest = latest_service(["summons"], "ordinary", dates, CAL, rules)
    assert latest is not None and latest.on == date(2026, 10, 4)
    with pytest.raises(ValueError, match="unknown service windows"):
        window_rules({"notice_days": 60})


def test_a_year_without_holiday_data_is_unconfirmed_until_entered() -> None:
    dates = CaseDates(accepted_on=date(2026, 12, 28))
    latest = latest_service(["complaint_copy"], "ordinary", dates, CAL)
    assert latest is not None and latest.on == date(2027, 1, 4) and not latest.confirmed
    entered = LegalCalendar({2027: YearOverride(2027, holidays=frozenset({date(2027, 1, 4)}))})
    latest = latest_service(["complaint_copy"], "ordinary", dates, entered)
    assert latest is not None and latest.on == date(2027, 1, 5) and latest.confirmed

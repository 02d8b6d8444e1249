"""Due times in workdays across the National Day week, the reminder day, and the alert text."""

from __future__ import annotations

from datetime import date

import pytest

from activities.work_order_alerts import alert_text
from domain.pure.legal_calendar import LegalCalendar
from domain.settings import Settings
from workflows.people import _workdays_before

OPENED = date(2026, 9, 30)  # the eve of the National Day week (2026-10-01 to 10-07)


@pytest.mark.parametrize(
    ("workdays", "due"),
    [
        (1, date(2026, 10, 8)),  # the whole holiday week is skipped
        (2, date(2026, 10, 9)),
        (3, date(2026, 10, 10)),  # a make-up Saturday is a workday
        (4, date(2026, 10, 12)),  # the Sunday after is not
    ],
)
def test_due_after_the_national_day_week(workdays: int, due: date) -> None:
    assert LegalCalendar().add_workdays(OPENED, workdays).value == due


@pytest.mark.parametrize(
    ("due", "before", "remind"),
    [
        (date(2026, 10, 8), 0, date(2026, 10, 8)),  # the start of the due day itself
        (date(2026, 10, 8), 1, date(2026, 9, 30)),  # a workday earlier: before the holiday
        (date(2026, 10, 12), 1, date(2026, 10, 10)),  # the make-up Saturday
    ],
)
def test_reminder_day_counts_workdays_back(due: date, before: int, remind: date) -> None:
    assert _workdays_before(LegalCalendar(), due, before) == remind


def test_alert_text_carries_no_party_data() -> None:
    text = alert_text("（2026）津0103民初1234号", "phone", "2026-10-08", escalated=False)
    assert (
        text == "【送达中心】（2026）津0103民初1234号电话送达工单将于2026-10-08到期，请及时办理。"
    )
    escalated = alert_text("（2026）津0103民初1234号", "direct", "2026-10-08", escalated=True)
    assert "直接送达" in escalated and "督办" in escalated


def test_settings_defaults() -> None:
    settings = Settings()
    assert settings.work_order_remind_before_workdays == 1
    assert settings.work_order_grace_workdays == 1
    assert (settings.call_min_attempts, settings.call_min_periods) == (3, 2)

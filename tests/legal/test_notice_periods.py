"""Issue 12, item 10: the notice period follows where the party resides, and it is a setting."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain.pure.ladder import Clock, Plan
from domain.pure.legal_calendar import LegalCalendar
from domain.pure.plan import make_plan
from domain.pure.rules import NoticeSettings
from domain.pure.served_on import notice_effective
from tests.unit.test_plan import BASE


def plan_for(**changes: object) -> Plan:
    """Returns the plan of the base party with changes."""
    return make_plan(replace(BASE, **changes), Clock())


@pytest.mark.parametrize(
    ("changes", "days", "months"),
    [
        ({}, 30, 0),
        ({"residence": "abroad"}, 60, 0),
        ({"foreign": True}, 60, 0),
        ({"residence": "hong_kong"}, 0, 3),
        ({"residence": "macao"}, 0, 3),
        ({"residence": "taiwan"}, 0, 3),
        ({"residence": "taiwan", "notice": NoticeSettings(hmt_months=2)}, 0, 2),
        ({"notice": NoticeSettings(days=45)}, 45, 0),
    ],
)
def test_period_by_residence(changes: dict[str, object], days: int, months: int) -> None:
    """30 days, 60 abroad, 3 months for Hong Kong, Macao and Taiwan, each a setting."""
    plan = plan_for(**changes)
    assert (plan.public_notice_days, plan.public_notice_months) == (days, months)


def test_taiwan_reason_names_months_and_its_source() -> None:
    """The plan's reason says months and names the SPC rule for Taiwan."""
    reason = plan_for(residence="taiwan").rungs[-1].reason
    assert "3 months" in reason and "法释〔2008〕4号" in reason


@pytest.mark.parametrize(
    ("changes", "issued", "effective"),
    [
        ({}, date(2026, 9, 1), date(2026, 10, 8)),  # DOMAIN.md vector, rolled past the holiday
        ({"notice": NoticeSettings(roll=False)}, date(2026, 9, 1), date(2026, 10, 1)),
        ({"residence": "taiwan"}, date(2026, 5, 28), date(2026, 8, 28)),
        ({"residence": "hong_kong"}, date(2026, 5, 31), date(2026, 8, 31)),
        ({"residence": "abroad"}, date(2026, 8, 10), date(2026, 10, 9)),
    ],
)
def test_effective_date(changes: dict[str, object], issued: date, effective: date) -> None:
    """The effective date is computed once, from the plan's period and roll setting."""
    assert notice_effective(issued, plan_for(**changes), LegalCalendar()).value == effective

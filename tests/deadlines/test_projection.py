"""The projected served-on date: rungs, the channels' odds, the calendar and the pacing."""

from __future__ import annotations

from datetime import date

from domain.pure.deadline_io import ChannelOdds
from domain.pure.ladder import Clock, Plan, Rung, Step
from domain.pure.legal_calendar import LegalCalendar
from domain.pure.projection import PRIOR_ODDS, outcomes, paced, project

CAL = LegalCalendar()
LADDER = [
    Rung(Step.ELECTRONIC, 3.0, "e"),
    Rung(Step.PHONE, 3.0, "p", business_days=True),
    Rung(Step.MAIL, 10.0, "m"),
    Rung(Step.DIRECT, 5.0, "d", business_days=True),
    Rung(Step.PUBLIC_NOTICE, 30.0, "n"),
]
PLAN = Plan(LADDER, Clock(), "test", "ordinary")
START = date(2026, 9, 7)  # a Monday


def test_each_rung_serves_after_its_days_with_its_chance() -> None:
    found = outcomes(LADDER, START, PRIOR_ODDS, PLAN, CAL)
    days = [d for d, _ in found]
    # electronic +1; phone from 09-10, 2 workdays; mail from 09-15 (3 workdays), +4;
    # direct from 09-25, 3 workdays; its 5 workdays end 10-09 across the National Day week;
    # the notice from 10-09: 30 days end on Sunday 11-08, rolled to 11-09.
    assert days == [date(2026, 9, 8), date(2026, 9, 14), date(2026, 9, 19), date(2026, 9, 30),
                    date(2026, 11, 9)]  # fmt: skip
    assert round(sum(c for _, c in found), 6) == 1.0  # the notice always serves


def test_projection_is_the_day_the_chance_reaches_the_target() -> None:
    seen = project(LADDER, START, PRIOR_ODDS, PLAN, CAL, date(2026, 10, 1))
    # 0.6, then +0.16 (0.4*0.4), then +0.168 (0.24*0.7): 0.928 on 09-19.
    assert seen.on == date(2026, 9, 19) and seen.confidence == 0.928
    assert seen.chance_by_latest == 0.971 and not seen.at_risk  # direct on 09-30 too


def test_a_hearing_too_close_puts_the_party_at_risk() -> None:
    seen = project(LADDER, START, PRIOR_ODDS, PLAN, CAL, date(2026, 9, 10))
    assert seen.at_risk and seen.on == date(2026, 9, 19) and seen.chance_by_latest == 0.6


def test_history_replaces_the_priors() -> None:
    poor = {**PRIOR_ODDS, Step.ELECTRONIC: ChannelOdds(Step.ELECTRONIC, 0.1, 2.0, "history")}
    seen = project(LADDER, START, poor, PLAN, CAL, date(2026, 9, 20))
    # 0.1 + 0.36 + 0.378 = 0.838 only by mail, on 09-19: still in time, with less margin.
    assert seen.on == date(2026, 9, 19) and seen.confidence == 0.838 and not seen.at_risk


def test_a_ladder_without_notice_may_never_reach_the_target() -> None:
    short = LADDER[:1]
    seen = project(short, START, PRIOR_ODDS, PLAN, CAL, date(2026, 9, 30))
    assert seen.on == date(2026, 9, 8) and seen.confidence == 0.6 and seen.at_risk


def test_at_risk_waits_are_shorter_but_never_the_notice() -> None:
    assert paced(LADDER[0], True).wait_days == 1.0
    assert paced(LADDER[2], True).wait_days == 5.0
    assert paced(LADDER[4], True) is LADDER[4]
    assert paced(LADDER[0], False) is LADDER[0]

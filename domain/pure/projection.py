"""Projects a party's served-on date from its remaining rungs and the channels' history.

Each rung serves with its channel's success rate after its days-to-serve, else fails after its
wait; the projected date is the first day the chance of service reaches the target, and the
confidence the chance by then. Pure: the workflow paces its rungs with the same projection.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from domain.pure.deadline_io import ChannelOdds
from domain.pure.ladder import Plan, Rung, Step
from domain.pure.legal_calendar import LegalCalendar
from domain.pure.served_on import notice_effective

PROJECTION_VERSION = "2026.12-p1"
# The chance of service the projected date stands for (a setting of the centre).
TARGET_CONFIDENCE = 0.8


# Priors until the trail holds enough tasks (centre figures, DOMAIN.md "Figures"): quoted as the
# source so the judge sees when a projection rests on them.
PRIOR_ODDS: dict[str, ChannelOdds] = {
    o.step: o
    for o in (
        ChannelOdds(Step.ELECTRONIC, 0.6, 1.0),
        ChannelOdds(Step.PHONE, 0.4, 2.0),
        ChannelOdds(Step.MAIL, 0.7, 4.0),
        ChannelOdds(Step.DIRECT, 0.6, 3.0),
        ChannelOdds(Step.PUBLIC_NOTICE, 1.0, 0.0),
    )
}

# Waits of a party at risk: the ladder escalates sooner instead of waiting out every rung
# (settings; the public notice's period is the law's and never shortened).
AT_RISK_WAIT_DAYS: dict[str, float] = {
    Step.ELECTRONIC: 1.0,
    Step.PHONE: 1.0,
    Step.MAIL: 5.0,
    Step.DIRECT: 3.0,
}


@dataclass(frozen=True)
class Projection:
    """A party's projected served-on date, its confidence and how it stands to the deadline."""

    on: date | None  # None when no rung is left that could serve
    confidence: float
    chance_by_latest: float | None
    latest: date | None
    at_risk: bool


def paced(rung: Rung, at_risk: bool) -> Rung:
    """Returns the rung with the shorter wait of a party at risk, else the rung itself."""
    shorter = AT_RISK_WAIT_DAYS.get(rung.step)
    if not at_risk or shorter is None or rung.wait_days <= shorter:
        return rung
    return Rung(rung.step, shorter, rung.reason, rung.contacts, rung.business_days)


def _after(start: date, days: float, workdays: bool, calendar: LegalCalendar) -> date:
    if workdays:
        return calendar.add_workdays(start, math.ceil(days)).value
    return start + timedelta(days=math.ceil(days))


def outcomes(
    rungs: Sequence[Rung],
    start: date,
    odds: Mapping[str, ChannelOdds],
    plan: Plan,
    calendar: LegalCalendar,
) -> list[tuple[date, float]]:
    """Returns each rung's served-on day and the chance the party is served there."""
    found: list[tuple[date, float]] = []
    reach = 1.0  # the chance the ladder gets to this rung unserved
    for rung in rungs:
        if rung.step == Step.PUBLIC_NOTICE:
            found.append((notice_effective(start, plan, calendar).value, reach))
            return found
        chance = odds.get(rung.step, PRIOR_ODDS[rung.step])
        days = min(chance.days, rung.wait_days)
        served = _after(start, days, rung.business_days, calendar)
        found.append((served, reach * chance.success_rate))
        reach *= 1.0 - chance.success_rate
        start = _after(start, rung.wait_days, rung.business_days, calendar)
    return found


def project(
    rungs: Sequence[Rung],
    start: date,
    odds: Mapping[str, ChannelOdds],
    plan: Plan,
    calendar: LegalCalendar,
    latest: date | None,
    target: float = TARGET_CONFIDENCE,
) -> Projection:
    """Returns the first day the chance of service reaches the target, and the risk."""
    ordered = sorted(outcomes(rungs, start, odds, plan, calendar))
    total, on, reached = 0.0, None, False
    for day, chance in ordered:
        total += chance
        on = day
        reached = total >= target - 1e-9
        if reached:
            break
    by_latest = None if latest is None else sum(c for d, c in ordered if d <= latest)
    # A ladder that may well never serve (no notice in simplified procedure) is at risk too.
    at_risk = latest is not None and (on is None or on > latest or not reached)
    return Projection(on, round(total, 3), by_latest and round(by_latest, 3), latest, at_risk)

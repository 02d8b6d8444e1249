"""The case's dates on a stored request as the service windows count them, and channel odds."""

from __future__ import annotations

from datetime import UTC

from domain.pure.deadlines import WINDOW_RULES, CaseDates, Latest, WindowRule, latest_service
from domain.pure.legal_calendar import LegalCalendar, beijing_date
from domain.pure.projection import PRIOR_ODDS, ChannelOdds
from domain.store.stats import MIN_ATTEMPTS_FOR_HINT, ChannelStat
from domain.tables.core import ServiceRequest


def case_dates(request: ServiceRequest) -> CaseDates:
    """Returns the request's dates (the hearing's Beijing date) for the windows."""
    hearing = request.hearing_at
    if hearing is not None and hearing.tzinfo is None:
        hearing = hearing.replace(tzinfo=UTC)  # SQLite keeps the UTC wall time it was given
    return CaseDates(
        accepted_on=request.accepted_on,
        hearing_on=beijing_date(hearing) if hearing is not None else None,
        pronounced_on=request.pronounced_on,
    )


def request_latest(
    request: ServiceRequest,
    calendar: LegalCalendar | None = None,
    rules: tuple[WindowRule, ...] = WINDOW_RULES,
) -> Latest | None:
    """Returns the latest legal service date the request's documents allow, or None."""
    return latest_service(
        [d.kind for d in request.documents],
        request.procedure,
        case_dates(request),
        calendar or LegalCalendar(),
        rules,
    )


def odds_for(stats: list[ChannelStat], kind: str) -> list[ChannelOdds]:
    """Returns each channel's odds for a kind of party: its history where it is long enough."""
    found = dict(PRIOR_ODDS)
    for stat in stats:
        if stat.party_kind != kind or stat.attempts < MIN_ATTEMPTS_FOR_HINT:
            continue
        prior = PRIOR_ODDS[stat.method]
        days = stat.median_days if stat.median_days is not None else prior.days
        found[stat.method] = ChannelOdds(stat.method, stat.success_rate, days, "history")
    return list(found.values())

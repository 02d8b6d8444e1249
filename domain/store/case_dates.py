"""The case's dates on a stored request as the service windows count them, and channel odds."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from domain.pure.deadline_io import ChannelOdds
from domain.pure.deadlines import WINDOW_RULES, CaseDates, Latest, WindowRule, latest_service
from domain.pure.legal_calendar import LegalCalendar, beijing_date
from domain.pure.projection import PRIOR_ODDS
from domain.store.calendar_store import load_calendar
from domain.store.stats import MIN_ATTEMPTS_FOR_HINT, ChannelStat
from domain.tables.core import ServiceRequest, ServiceTask, TimelineEvent


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
        calendar or _entered_calendar(request),
        rules,
    )


def _entered_calendar(request: ServiceRequest) -> LegalCalendar:
    """Returns the calendar with the years an administrator entered (issue 12, item 9)."""
    session = object_session(request)
    return load_calendar(session) if session is not None else LegalCalendar()


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


DEADLINE_KIND = "deadline"


def record_deadline(session: Session, task: ServiceTask, latest: Latest, dates: CaseDates) -> None:
    """Adds the party's latest legal date and its rule to the timeline, once per date."""
    # Once per date: a retried activity writes nothing new, a moved hearing a new event.
    key = f"{task.id}:deadline:{latest.on.isoformat()}:{latest.rule}"
    if session.scalar(select(TimelineEvent.id).where(TimelineEvent.event_key == key)):
        return
    last = session.scalar(
        select(func.max(TimelineEvent.seq)).where(TimelineEvent.task_id == task.id)
    )
    session.add(
        TimelineEvent(
            task_id=task.id, event_key=key, seq=(last or 0) + 1, at=datetime.now(UTC),
            step=None, kind=DEADLINE_KIND,
            detail={"latest_on": latest.on.isoformat(), "rule": latest.rule,
                    "hearing_on": _iso(dates.hearing_on),
                    "article": latest.article, "rule_version": latest.rule_version,
                    "confirmed": latest.confirmed},
        )
    )  # fmt: skip


def request_deadline(session: Session, request: ServiceRequest) -> Latest | None:
    """Returns the deadline the worker recorded (court settings), else the law's defaults."""
    event = session.scalar(
        select(TimelineEvent)
        .join(ServiceTask, ServiceTask.id == TimelineEvent.task_id)
        .where(ServiceTask.request_id == request.id, TimelineEvent.kind == DEADLINE_KIND)
        .order_by(TimelineEvent.at.desc())
        .limit(1)
    )
    # Recorded with the court's settings, unless the hearing moved since (read again later).
    if event is None or event.detail.get("hearing_on", "") != _iso(case_dates(request).hearing_on):
        return request_latest(request)
    detail = event.detail
    words = {r.code: r.words_zh for r in WINDOW_RULES}
    return Latest(
        date.fromisoformat(str(detail["latest_on"])), str(detail["rule"]),
        str(detail["article"]), words.get(str(detail["rule"]), ""),
        bool(detail.get("confirmed", True)), str(detail["rule_version"]),
    )  # fmt: skip


def _iso(day: date | None) -> str:
    return day.isoformat() if day is not None else ""

"""Keeps `stats_rollup` up to date: counts per submission day, court, judge and department.

A refresh recomputes only the days whose requests changed since the last one (a task's
progress, a new request, a closed work order, a repair query), from the legal record, in one
transaction; the first refresh builds every day. Reads refresh when the rollup is older than
SONGDA_STATS_MAX_AGE_SECONDS, so figures lag the record by at most that.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import structlog
from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy.orm import Session

from domain.tables.core import RepairQuery, ServiceRequest, ServiceTask, WorkOrder, utcnow
from domain.tables.ops import StatsRollup, StatsRollupState

BEIJING = timezone(timedelta(hours=8))
# Checked in this order: 刑附民 is criminal, 执 enforcement, 知民 civil.
DEPARTMENT_LETTERS = (("enforcement", "执"), ("criminal", "刑"), ("administrative", "行"),
                      ("civil", "民"))  # fmt: skip
# Rows written by a transaction that started before the refresh may commit just after it.
SLACK = timedelta(seconds=30)
COLUMNS = ("day", "week", "month", "court_code", "handler", "department", "metric", "status",
           "method", "days", "closer", "value")  # fmt: skip

log = structlog.get_logger(__name__)


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def day_of(session: Session) -> ColumnElement[Any]:
    """The request's Beijing calendar date of submission, in this dialect."""
    if _postgres(session):
        return func.date(func.timezone("Asia/Shanghai", ServiceRequest.created_at))
    return func.date(ServiceRequest.created_at, "+8 hours")


def _calendar(session: Session) -> list[ColumnElement[Any]]:
    """The submission day, its week's Monday and its month's first day, in this dialect."""
    day = day_of(session)
    if _postgres(session):
        week = cast(func.date_trunc("week", day), Date)
        month = cast(func.date_trunc("month", day), Date)
        return [day, week, month]
    return [day, func.date(day, "-6 days", "weekday 1"), func.strftime("%Y-%m-01", day)]


def _days_to_serve(session: Session) -> ColumnElement[Any]:
    if _postgres(session):
        days = ServiceTask.served_on - day_of(session)
    else:
        days = func.julianday(ServiceTask.served_on) - func.julianday(day_of(session))
    return case((ServiceTask.served_on.is_(None), -1), else_=cast(days, Integer))


def department_of() -> ColumnElement[str]:
    """The department read from the case number's type letters."""
    whens = [(ServiceRequest.case_number.contains(x), name) for name, x in DEPARTMENT_LETTERS]
    return case(*whens, else_="other")


def _dims(session: Session, metric: str) -> list[Any]:
    return [*_calendar(session), ServiceRequest.court_code, ServiceRequest.handler,
            department_of(), literal(metric)]  # fmt: skip


def _sources(session: Session) -> list[Select[Any]]:
    tasks = select(
        *_dims(session, "tasks"), ServiceTask.status, func.coalesce(ServiceTask.method, ""),
        _days_to_serve(session), literal(""), func.count(),
    ).join(ServiceRequest, ServiceRequest.id == ServiceTask.request_id)  # fmt: skip
    requests = select(
        *_dims(session, "requests"), literal(""), literal(""), literal(-1), literal(""),
        func.count(),
    ).select_from(ServiceRequest)  # fmt: skip
    hit = case((RepairQuery.found > 0, "hit"), else_="miss")
    repair = (
        select(*_dims(session, "repair"), hit, literal(""), literal(-1), literal(""), func.count())
        .select_from(RepairQuery)
        .join(ServiceTask, ServiceTask.id == RepairQuery.task_id)
        .join(ServiceRequest, ServiceRequest.id == ServiceTask.request_id)
    )
    workload = (
        select(*_dims(session, "workload"), literal(""), WorkOrder.kind, literal(-1),
               WorkOrder.closed_by, func.count())
        .select_from(WorkOrder)
        .join(ServiceTask, ServiceTask.id == WorkOrder.task_id)
        .join(ServiceRequest, ServiceRequest.id == ServiceTask.request_id)
        .where(WorkOrder.closed_by.is_not(None))
    )  # fmt: skip
    return [tasks, requests, repair, workload]


def _rebuild(session: Session, days: list[date] | None) -> None:
    for source in _sources(session):
        if days is not None:
            start = datetime.combine(min(days), time(), BEIJING).astimezone(UTC)
            end = datetime.combine(max(days) + timedelta(days=1), time(), BEIJING).astimezone(UTC)
            source = source.where(
                ServiceRequest.created_at >= start,
                ServiceRequest.created_at < end,
                day_of(session).in_(days),
            )
        n_dims = len(source.selected_columns) - 1
        grouped = source.group_by(*list(source.selected_columns)[:n_dims])
        session.execute(insert(StatsRollup).from_select(list(COLUMNS), grouped))


def _dirty_days(session: Session, since: datetime) -> list[date]:
    day = day_of(session)
    changed = [
        select(day).join(ServiceTask, ServiceTask.request_id == ServiceRequest.id)
        .where(ServiceTask.updated_at >= since),
        select(day).where(ServiceRequest.created_at >= since),
        select(day).join(ServiceTask, ServiceTask.request_id == ServiceRequest.id)
        .join(WorkOrder, WorkOrder.task_id == ServiceTask.id).where(WorkOrder.closed_at >= since),
        select(day).join(ServiceTask, ServiceTask.request_id == ServiceRequest.id)
        .join(RepairQuery, RepairQuery.task_id == ServiceTask.id).where(RepairQuery.at >= since),
    ]  # fmt: skip
    found: set[date] = set()
    for query in changed:
        for value in session.scalars(query.distinct()):
            found.add(value if isinstance(value, date) else date.fromisoformat(str(value)))
    return sorted(found)


def refresh(session: Session, *, full: bool = False) -> int:
    """Recomputes the days changed since the last refresh (every day when full); commits."""
    if _postgres(session):
        # One refresher at a time; a second waits and then finds little left to do.
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext('songda.stats_rollup'))"))
    started = utcnow()
    state = session.get(StatsRollupState, 1)
    if state is None or full:
        session.execute(delete(StatsRollup))
        _rebuild(session, None)
        days = -1
    else:
        dirty = _dirty_days(session, state.refreshed_at - SLACK)
        if dirty:
            session.execute(delete(StatsRollup).where(StatsRollup.day.in_(dirty)))
            _rebuild(session, dirty)
        days = len(dirty)
    if state is None:
        session.add(StatsRollupState(id=1, refreshed_at=started))
    else:
        state.refreshed_at = started
    session.commit()
    log.info("stats.rollup_refreshed", days=days)
    return days


def ensure_fresh(session: Session, max_age_seconds: float) -> None:
    """Refreshes the rollup when it is older than max_age_seconds (or was never built)."""
    state = session.get(StatsRollupState, 1)
    if state is not None:
        at = (
            state.refreshed_at
            if state.refreshed_at.tzinfo
            else state.refreshed_at.replace(tzinfo=UTC)
        )
        if utcnow() - at < timedelta(seconds=max_age_seconds):
            return
    refresh(session)

"""The centre's figures: requests, parties, served, completion, electronic share, days to serve.

Figures are read from `stats_rollup` (api/stats_rollup.py), counts per Beijing day of
submission, court, judge and department, so a query sums a few thousand rows whatever the
number of tasks. Only a `channel` filter's request count goes to the record itself (a request
has parties served by several channels). Medians come from the days-to-serve histogram.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from api.stats.rollup import BEIJING, DEPARTMENT_LETTERS, department_of, ensure_fresh
from domain.store.calendar_gaps import calendar_gaps
from domain.tables.core import ServiceRequest, ServiceTask
from domain.tables.ops import StatsRollup

DEPARTMENTS = tuple(sorted(name for name, _ in DEPARTMENT_LETTERS))
PERIODS = ("day", "week", "month")
R = StatsRollup


@dataclass(frozen=True)
class StatsFilter:
    """Which requests the figures cover; None means no restriction."""

    date_from: date | None = None
    date_to: date | None = None
    court: str | None = None
    department: str | None = None
    judge: str | None = None
    channel: str | None = None


class PeriodOut(BaseModel):
    """The figures of one day, week or month."""

    period: str
    requests: int
    parties: int
    served: int
    completion_rate: float
    electronic_share: float


class StatsOut(BaseModel):
    """The centre's figures over the filtered requests."""

    requests: int
    parties: int
    served: int
    completion_rate: float
    electronic_share: float
    by_method: dict[str, int]
    median_days_to_serve: float | None
    days_to_serve: dict[str, int]
    repair: dict[str, float]
    clerk_workload: list[dict[str, Any]]
    series: list[PeriodOut] = []
    filters: dict[str, str] = {}
    # Tasks whose notice date rests on a year without holiday data (issue 12, item 9).
    provisional: int = 0


def _where(f: StatsFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.date_from:
        where.append(R.day >= f.date_from)
    if f.date_to:
        where.append(R.day <= f.date_to)
    if f.court:
        where.append(R.court_code == f.court)
    if f.judge:
        where.append(R.handler == f.judge)
    if f.department:
        where.append(R.department == f.department)
    return where


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _period(unit: str) -> ColumnElement[date]:
    """The rollup's day, week (its Monday) or month (its first day) column."""
    column = {"day": R.day, "week": R.week, "month": R.month}[unit]
    return column.expression


def _counted(row_metric: str, method: str, f: StatsFilter) -> bool:
    return row_metric != "tasks" or not f.channel or method == f.channel


@dataclass
class _Totals:
    requests: int = 0
    parties: int = 0
    served: int = 0
    electronic: int = 0


def _add(totals: _Totals, metric: str, status: str, method: str, value: int) -> None:
    if metric == "requests":
        totals.requests += value
    elif metric == "tasks":
        totals.parties += value
        if status == "served":
            totals.served += value
            totals.electronic += value if method == "electronic" else 0


def _rows(session: Session, f: StatsFilter) -> list[Any]:
    query = select(R.metric, R.status, R.method, R.days, R.closer, func.sum(R.value)).where(
        *_where(f)
    )
    grouped = query.group_by(R.metric, R.status, R.method, R.days, R.closer)
    return [row for row in session.execute(grouped) if _counted(row[0], row[2], f)]


def _channel_requests(session: Session, f: StatsFilter) -> int:
    # A request counts under a channel when one of its parties was served by it: the record.
    query = select(func.count(func.distinct(ServiceTask.request_id))).join(
        ServiceRequest, ServiceRequest.id == ServiceTask.request_id
    )
    where = [ServiceTask.method == f.channel, *_request_where(f)]
    return session.scalar(query.where(*where)) or 0


def _provisional(session: Session, f: StatsFilter) -> int:
    """Counts the filtered requests' tasks whose notice date is provisional (calendar gaps)."""
    # Only a notice's date rests on the holiday calendar: its tasks first, then their events.
    query = select(ServiceTask.id).join(ServiceRequest, ServiceRequest.id == ServiceTask.request_id)
    where = [ServiceTask.step == "public_notice", *_request_where(f)]
    if f.channel:
        where.append(ServiceTask.method == f.channel)
    if f.department:
        where.append(department_of() == f.department)
    tasks = list(session.scalars(query.where(*where)))
    return len(calendar_gaps(session, tasks)) if tasks else 0


def _request_where(f: StatsFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.date_from:
        start = datetime.combine(f.date_from, time(), BEIJING).astimezone(UTC)
        where.append(ServiceRequest.created_at >= start)
    if f.date_to:
        end = datetime.combine(f.date_to + timedelta(days=1), time(), BEIJING).astimezone(UTC)
        where.append(ServiceRequest.created_at < end)
    if f.court:
        where.append(ServiceRequest.court_code == f.court)
    if f.judge:
        where.append(ServiceRequest.handler == f.judge)
    return where


def median(histogram: dict[int, int]) -> float | None:
    """Returns the median of a histogram of whole days."""
    total = sum(histogram.values())
    if not total:
        return None
    ordered = sorted(histogram.items())

    def nth(k: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if seen > k:
                return value
        return ordered[-1][0]

    return (nth((total - 1) // 2) + nth(total // 2)) / 2


def series(session: Session, f: StatsFilter, unit: str) -> list[PeriodOut]:
    """Returns the figures per day, week or month of submission."""
    period = _period(unit).label("period")
    query = select(period, R.metric, R.status, R.method, func.sum(R.value)).where(*_where(f))
    per: dict[str, _Totals] = defaultdict(_Totals)
    for name, metric, status, method, value in session.execute(
        query.group_by(period, R.metric, R.status, R.method)
    ):
        if _counted(metric, method, f):
            _add(per[str(name)], metric, status, method, int(value))
    return [
        PeriodOut(period=name, requests=t.requests, parties=t.parties, served=t.served,
                  completion_rate=_rate(t.served, t.parties),
                  electronic_share=_rate(t.electronic, t.served))
        for name, t in sorted(per.items())
    ]  # fmt: skip


def _echo(f: StatsFilter) -> dict[str, str]:
    return {k: str(v) for k, v in vars(f).items() if v is not None}


def compute_stats(
    *, session: Session, f: StatsFilter, group_by: str | None = None, max_age: float = 60.0
) -> StatsOut:
    """Returns the centre's figures for the filtered requests, with a series when asked."""
    ensure_fresh(session, max_age)
    totals = _Totals()
    by_method: dict[str, int] = defaultdict(int)
    histogram: dict[int, int] = defaultdict(int)
    repair, workload = {"hit": 0, "miss": 0}, []
    for metric, status, method, days, closer, value in _rows(session, f):
        value = int(value)
        _add(totals, metric, status, method, value)
        if metric == "tasks" and status == "served":
            by_method[method or "unknown"] += value
            histogram[max(days, 0)] += value
        elif metric == "repair":
            repair[status] += value
        elif metric == "workload":
            workload.append({"closer": closer, "kind": method, "closed": value})
    queries = repair["hit"] + repair["miss"]
    return StatsOut(
        requests=_channel_requests(session, f) if f.channel else totals.requests,
        parties=totals.parties,
        served=totals.served,
        completion_rate=_rate(totals.served, totals.parties),
        electronic_share=_rate(totals.electronic, totals.served),
        by_method=dict(sorted(by_method.items())),
        median_days_to_serve=median(histogram),
        days_to_serve={str(k): v for k, v in sorted(histogram.items())},
        repair={
            "queries": queries,
            "hits": repair["hit"],
            "hit_rate": _rate(repair["hit"], queries),
        },
        clerk_workload=sorted(workload, key=lambda w: (-w["closed"], w["closer"], w["kind"])),
        series=series(session, f, group_by) if group_by in PERIODS else [],
        filters=_echo(f),
        provisional=_provisional(session, f),
    )

"""How each method does per kind of party, read off the trail (tasks, attempts, timeline).

Counting runs in portable SQL (SQLite and PostgreSQL alike); the median is taken in Python,
because the two databases share no median and no date-difference function.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from statistics import median

from sqlalchemy import Subquery, func, select, union
from sqlalchemy.orm import Session

from domain.pure.ladder import Step, TaskStatus
from domain.tables.core import Attempt, Party, ServiceTask, TimelineEvent

METHODS: tuple[str, ...] = tuple(s.value for s in Step)
# Only tasks whose outcome is known count: a running task has not failed its step yet, and a
# cancelled one (a withdrawn case, say) tells nothing about the method.
ENDED = (TaskStatus.SERVED.value, TaskStatus.FAILED.value)
# Fewer tasks than this make a rate too noisy to quote in a plan's reasons.
MIN_ATTEMPTS_FOR_HINT = 20


@dataclass(frozen=True)
class ChannelStat:
    """One method for one kind of party: tasks that tried it, tasks it served, and how fast."""

    method: str
    party_kind: str
    attempts: int
    served: int
    success_rate: float
    median_days: float | None  # legal days from the task's first event to served_on


def _started(since: datetime | None) -> Subquery:
    """Returns each task's first timeline moment and legal date, from `since` on."""
    started = select(
        TimelineEvent.task_id.label("task_id"),
        func.min(TimelineEvent.at).label("at"),
        func.min(TimelineEvent.legal_date).label("legal_date"),
    ).group_by(TimelineEvent.task_id)
    if since is not None:
        # SQLite keeps the UTC wall time the workflows wrote, so compare in UTC (a naive bound is
        # taken as UTC); PostgreSQL compares instants either way.
        bound = since.replace(tzinfo=UTC) if since.tzinfo is None else since.astimezone(UTC)
        started = started.having(func.min(TimelineEvent.at) >= bound)
    return started.subquery("started")


def _tried(session: Session, started: Subquery) -> dict[tuple[str, str], int]:
    """Counts ended tasks per (method, party kind) that tried the method at least once."""
    steps = union(
        select(TimelineEvent.task_id.label("task_id"), TimelineEvent.step.label("step")).where(
            TimelineEvent.kind == "step_started", TimelineEvent.step.in_(METHODS)
        ),
        select(Attempt.task_id, Attempt.step).where(Attempt.step.in_(METHODS)),
        # A task served by a method tried it, even if its trail lost the step's first event.
        select(ServiceTask.id, ServiceTask.method).where(
            ServiceTask.status == TaskStatus.SERVED.value, ServiceTask.method.in_(METHODS)
        ),
    ).subquery("tried")
    query = (
        select(steps.c.step, Party.kind, func.count())
        .select_from(steps)
        .join(ServiceTask, ServiceTask.id == steps.c.task_id)
        .join(Party, Party.id == ServiceTask.party_id)
        .join(started, started.c.task_id == ServiceTask.id)
        .where(ServiceTask.status.in_(ENDED))
        .group_by(steps.c.step, Party.kind)
    )
    return {(str(step), str(kind)): int(n) for step, kind, n in session.execute(query)}


def _served(session: Session, started: Subquery) -> dict[tuple[str, str], list[int | None]]:
    """Returns, per (method, party kind), each served task's days from first event to service."""
    query = (
        select(ServiceTask.method, Party.kind, ServiceTask.served_on, started.c.legal_date)
        .select_from(ServiceTask)
        .join(Party, Party.id == ServiceTask.party_id)
        .join(started, started.c.task_id == ServiceTask.id)
        .where(ServiceTask.status == TaskStatus.SERVED.value, ServiceTask.method.in_(METHODS))
    )
    served: dict[tuple[str, str], list[int | None]] = defaultdict(list)
    for method, kind, served_on, first in session.execute(query):
        days: int | None = None
        if served_on is not None and first is not None:
            days = (served_on - first).days
        served[(str(method), str(kind))].append(days)
    return served


def channel_stats(session: Session, *, since: datetime | None = None) -> list[ChannelStat]:
    """Returns per method and party kind the tasks that tried it, served by it, and how fast."""
    started = _started(since)
    tried = _tried(session, started)
    served = _served(session, started)
    stats = []
    for method, kind in sorted(tried, key=lambda k: (METHODS.index(k[0]), k[1])):
        attempts = tried[(method, kind)]
        outcomes = served.get((method, kind), [])
        days = [d for d in outcomes if d is not None]
        stats.append(
            ChannelStat(
                method=method,
                party_kind=kind,
                attempts=attempts,
                served=len(outcomes),
                success_rate=len(outcomes) / attempts,
                median_days=float(median(days)) if days else None,
            )
        )
    return stats


def stats_hint(
    stats: list[ChannelStat], kind: str, *, min_attempts: int = MIN_ATTEMPTS_FOR_HINT
) -> dict[str, float]:
    """Returns the success rate per step for one kind of party, for `PartyFacts.success_rates`."""
    return {
        s.method: s.success_rate
        for s in stats
        if s.party_kind == kind and s.attempts >= min_attempts
    }

"""Stuck deliveries: what keeps failing or is overdue, with the reason and since when.

Four signs, each cheap on its own: overdue work orders and provider outages come from the
database; waits past their plan from the task's step and its plan event; activities failing
past their threshold, the parties' and the request's own hand-back (archive, callback, judge
SMS), from Temporal (api/ops/pending.py, bounded by SONGDA_STUCK_DESCRIBE_LIMIT). Items carry
ids, steps, activity and failure types only: ops see no personal data.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client

from api.errors import Unavailable
from api.ops.deadline_risk import deadline_risks
from api.ops.pending import bounded, describe_stuck
from api.ops.refused_callbacks import refused_callbacks
from api.temporal import TemporalHolder
from domain.pure.names import request_workflow_id
from domain.settings import Settings
from domain.store.calendar_gaps import calendar_gaps
from domain.tables.archive import Archive, CallbackDelivery
from domain.tables.core import (
    Attempt,
    ServiceRequest,
    ServiceTask,
    TimelineEvent,
    WorkOrder,
    utcnow,
)

OPEN_TASK = ("pending", "serving", "waiting_human", "stuck")
FAILING_ATTEMPT = ("retrying",)
# Work orders count business days: a calendar wait of N workdays can span a long weekend.
BUSINESS_DAY_STRETCH = 1.6
WAIT_CANDIDATES = 5000

log = structlog.get_logger(__name__)


class StuckItem(BaseModel):
    """One reason a task is stuck; a task may appear once per reason."""

    task_id: str | None  # None: the request's own activity (archive, callback, judge SMS)
    workflow_id: str
    request_id: str
    step: str | None
    # activity_retrying | provider_outage | work_order_overdue | wait_overdue | deadline_risk |
    # callback_refused | calendar_missing
    kind: str
    reason: str
    since: datetime


class StuckOut(BaseModel):
    """Stuck tasks, the longest stuck first."""

    items: list[StuckItem]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _item(task: ServiceTask, kind: str, reason: str, since: datetime) -> StuckItem:
    return StuckItem(
        task_id=task.id,
        workflow_id=task.workflow_id,
        request_id=task.request_id,
        step=task.step,
        kind=kind,
        reason=reason,
        since=_aware(since),
    )


def overdue_work_orders(session: Session, now: datetime) -> list[StuckItem]:
    """Returns tasks whose open work order is past its due time."""
    query = (
        select(WorkOrder, ServiceTask)
        .join(ServiceTask, ServiceTask.id == WorkOrder.task_id)
        .where(WorkOrder.status == "open", WorkOrder.due_at < now)
    )
    return [
        _item(task, "work_order_overdue", f"{order.kind} work order {order.id} past due",
              order.due_at)
        for order, task in session.execute(query)
    ]  # fmt: skip


def provider_outages(session: Session, settings: Settings, now: datetime) -> list[StuckItem]:
    """Returns open tasks with failing sends on a provider that keeps failing lately."""
    window = now - timedelta(minutes=settings.stuck_outage_minutes)
    failing = (
        select(Attempt.provider, func.count().label("failures"))
        .where(Attempt.status.in_(FAILING_ATTEMPT), Attempt.updated_at >= window)
        .group_by(Attempt.provider)
        .having(func.count() >= settings.stuck_outage_failures)
    )
    outages: dict[str, int] = {row[0]: row[1] for row in session.execute(failing)}
    if not outages:
        return []
    query = (
        select(ServiceTask, Attempt.provider, func.min(Attempt.created_at))
        .join(Attempt, Attempt.task_id == ServiceTask.id)
        .where(
            ServiceTask.status.in_(OPEN_TASK),
            Attempt.provider.in_(outages),
            Attempt.status.in_(FAILING_ATTEMPT),
            Attempt.updated_at >= window,
        )
        .group_by(ServiceTask.id, Attempt.provider)
    )
    minutes = settings.stuck_outage_minutes
    return [
        _item(task, "provider_outage",
              f"provider {provider} failing: {outages[provider]} failed sends in {minutes} min",
              since)
        for task, provider, since in session.execute(query)
    ]  # fmt: skip


def _planned_days(plan: dict[str, Any], step: str) -> float | None:
    waits = [s.get("wait_days") for s in plan.get("steps", []) if s.get("step") == step]
    numbers = [float(w) for w in waits if isinstance(w, int | float)]
    return max(numbers) if numbers else None


def _seconds_per_day(clock: dict[str, Any]) -> float:
    if clock.get("mode") == "accelerated":
        return float(clock.get("seconds_per_day") or 86400.0)
    return 86400.0


def late_waits(session: Session, settings: Settings, now: datetime) -> list[StuckItem]:
    """Returns open tasks that have stayed on their step longer than the plan's wait allows."""
    query = (
        select(ServiceTask, ServiceRequest.clock)
        .join(ServiceRequest, ServiceRequest.id == ServiceTask.request_id)
        .where(ServiceTask.status.in_(OPEN_TASK), ServiceTask.step_since.is_not(None))
        .order_by(ServiceTask.step_since)
        .limit(WAIT_CANDIDATES)
    )
    rows = list(session.execute(query))
    plans = {
        event.task_id: event.detail
        for event in session.scalars(
            select(TimelineEvent).where(
                TimelineEvent.task_id.in_([task.id for task, _ in rows]),
                TimelineEvent.kind == "plan",
            )
        )
    }
    items = []
    for task, clock in rows:
        days = _planned_days(plans.get(task.id, {}), task.step or "")
        if days is None or task.step_since is None:
            continue
        allowed = days * BUSINESS_DAY_STRETCH * (1 + settings.stuck_wait_margin)
        since = _aware(task.step_since)
        if now - since > timedelta(seconds=allowed * _seconds_per_day(clock or {})):
            reason = f"on {task.step} longer than its planned {days:g} legal days"
            items.append(_item(task, "wait_overdue", reason, since))
    return items


def _serving_tasks(session: Session, limit: int) -> list[ServiceTask]:
    query = (
        select(ServiceTask)
        .where(ServiceTask.status.in_(OPEN_TASK))
        .order_by(ServiceTask.step_since)
        .limit(limit)
    )
    return list(session.scalars(query))


def _pending_requests(session: Session, limit: int) -> list[ServiceRequest]:
    # A completed request's workflow still runs its hand-back until the archive is filed and
    # the case system has answered the callback.
    answered = select(CallbackDelivery.request_id).where(
        CallbackDelivery.status_code >= 200, CallbackDelivery.status_code < 300
    )
    query = (
        select(ServiceRequest)
        .outerjoin(Archive, Archive.request_id == ServiceRequest.id)
        .where(
            ServiceRequest.status == "completed",
            (Archive.id.is_(None))
            | (ServiceRequest.callback_url.is_not(None) & ServiceRequest.id.not_in(answered)),
        )
        .order_by(ServiceRequest.completed_at)
        .limit(limit)
    )
    return list(session.scalars(query))


async def retrying_items(client: Client, task: ServiceTask, threshold: int) -> list[StuckItem]:
    """Returns an item per pending activity of the task's workflow that is stuck."""
    found = await describe_stuck(client, task.workflow_id, threshold, task.step)
    return [_item(task, "activity_retrying", one.reason, one.since) for one in found]


async def _request_items(
    client: Client, request: ServiceRequest, threshold: int
) -> list[StuckItem]:
    found = await describe_stuck(client, request_workflow_id(request.id), threshold)
    return [
        StuckItem(task_id=None, workflow_id=one.workflow_id, request_id=request.id,
                  step=one.step, kind="activity_retrying", reason=one.reason, since=one.since)
        for one in found
    ]  # fmt: skip


def _candidates(session: Session, limit: int) -> tuple[list[ServiceTask], list[ServiceRequest]]:
    return _serving_tasks(session, limit), _pending_requests(session, limit)


async def retrying_activities(
    *, session: Session, temporal: TemporalHolder, settings: Settings
) -> list[StuckItem]:
    """Returns the parties' and the requests' activities that keep failing, with why."""
    limit = settings.stuck_describe_limit
    tasks, requests = await run_in_threadpool(_candidates, session, limit)
    if not tasks and not requests:
        return []
    try:
        client = await temporal.client()
    except Unavailable:
        # The database's signs still help while Temporal is down; the log says what is missing.
        log.warning("ops.stuck_without_temporal")
        return []
    threshold = settings.stuck_activity_attempts
    calls: list[Awaitable[list[StuckItem]]] = [
        retrying_items(client, task, threshold) for task in tasks
    ]
    calls += [_request_items(client, request, threshold) for request in requests]
    return await bounded(calls)


def _from_database(session: Session, settings: Settings) -> list[StuckItem]:
    now = utcnow()
    return [
        *overdue_work_orders(session, now),
        *provider_outages(session, settings, now),
        *late_waits(session, settings, now),
        *(
            _item(session.get_one(ServiceTask, g.task_id), "calendar_missing", g.reason, g.since)
            for g in calendar_gaps(session)
        ),
        *(
            _item(t, "deadline_risk", why, since)
            for t, why, since in deadline_risks(session, OPEN_TASK)
        ),
        *(
            StuckItem(
                task_id=None,
                workflow_id=request_workflow_id(request_id),
                request_id=request_id,
                step="callback",
                kind="callback_refused",
                reason=why,
                since=_aware(at),
            )
            for request_id, why, at in refused_callbacks(session)
        ),  # fmt: skip
    ]


async def find_stuck(*, session: Session, temporal: TemporalHolder, settings: Settings) -> StuckOut:
    """Returns every stuck task with its reason and since when, the longest stuck first."""
    items = await run_in_threadpool(_from_database, session, settings)
    items += await retrying_activities(session=session, temporal=temporal, settings=settings)
    items.sort(key=lambda item: item.since)
    log.info("ops.stuck_listed", items=len(items))
    return StuckOut(items=items)

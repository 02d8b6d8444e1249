"""Operators' controls: a task's timeline, retry and skip of its step, cancelling a request."""

from __future__ import annotations

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from api.audit.context import audit_user_action
from api.errors import Conflict, NotFound
from api.requests.bodies import RequestOut
from api.requests.service import readable_request
from api.requests.starter import ensure_started
from api.requests.views import request_out, timeline_item
from api.tasks.bodies import ControlOut, TimelineOut
from api.temporal import TemporalHolder, signal
from domain.pure.ladder import StepControl
from domain.pure.names import SIGNAL_CANCEL, SIGNAL_CANCEL_REQUEST, request_workflow_id
from domain.settings import Settings
from domain.tables.core import ServiceRequest, ServiceTask, TimelineEvent, User

FINISHED_TASK = frozenset({"served", "failed", "cancelled"})
FINISHED_REQUEST = frozenset({"completed", "cancelled"})

log = structlog.get_logger(__name__)


def readable_task(*, session: Session, user: User, task_id: str) -> ServiceTask:
    """Returns the task if the caller may see its request; NotFound otherwise."""
    task = session.get(ServiceTask, task_id)
    if task is None:
        raise NotFound("no such task")
    try:
        readable_request(session=session, user=user, request_id=task.request_id)
    except NotFound:
        raise NotFound("no such task") from None
    return task


def timeline(*, session: Session, user: User, task_id: str) -> TimelineOut:
    """Returns the task's events in order."""
    readable_task(session=session, user=user, task_id=task_id)
    query = (
        select(TimelineEvent)
        .where(TimelineEvent.task_id == task_id)
        .order_by(TimelineEvent.seq, TimelineEvent.at)
    )
    items = [timeline_item(e, user.role) for e in session.scalars(query)]
    return TimelineOut(task_id=task_id, items=items)


def _audit(
    session: Session, user: User, action: str, target: str, outcome: str, detail: dict[str, str]
) -> None:
    """Appends an operator's action to the audit chain and commits it."""
    audit_user_action(session, user, action=action, target=target, outcome=outcome, detail=detail)
    session.commit()


def _running_task(session: Session, user: User, task_id: str, action: str) -> ServiceTask:
    task = readable_task(session=session, user=user, task_id=task_id)
    if task.status in FINISHED_TASK:
        _audit(session, user, action, task_id, "refused", {"why": f"task {task.status}"})
        raise Conflict(f"the task is already {task.status}")
    return task


async def control_task(
    *,
    session: Session,
    temporal: TemporalHolder,
    user: User,
    task_id: str,
    signal_name: str,
    reason: str,
) -> ControlOut:
    """Sends retry or skip to the task's workflow, audited; Conflict when it no longer runs."""
    action = f"task.{signal_name}"
    task = await run_in_threadpool(_running_task, session, user, task_id, action)
    client = await temporal.client()
    control = StepControl(actor=user.name, reason=reason)
    detail = {"workflow_id": task.workflow_id, "step": task.step or "", "reason": reason}
    if not await signal(client, task.workflow_id, signal_name, control):
        await run_in_threadpool(_audit, session, user, action, task_id, "refused", detail)
        raise Conflict("the task's workflow is not running")
    await run_in_threadpool(_audit, session, user, action, task_id, "ok", detail)
    log.info("task.controlled", task_id=task_id, signal=signal_name, actor_id=user.id)
    return ControlOut(task_id=task_id, signal=signal_name)


def _cancellable(session: Session, user: User, request_id: str) -> ServiceRequest:
    request = readable_request(session=session, user=user, request_id=request_id)
    if request.status in FINISHED_REQUEST:
        why = {"why": f"request {request.status}"}
        _audit(session, user, "request.cancel", request_id, "refused", why)
        raise Conflict(f"the request is already {request.status}")
    return request


def _open_workflows(session: Session, request_id: str) -> list[str]:
    query = select(ServiceTask.workflow_id).where(
        ServiceTask.request_id == request_id, ServiceTask.status.not_in(FINISHED_TASK)
    )
    return list(session.scalars(query))


async def cancel_request(
    *,
    session: Session,
    factory: sessionmaker[Session],
    temporal: TemporalHolder,
    settings: Settings,
    user: User,
    request_id: str,
    reason: str,
) -> RequestOut:
    """Cancels the request's workflow and every unfinished party workflow."""
    request = await run_in_threadpool(_cancellable, session, user, request_id)
    client = await temporal.client()
    if not request.workflow_started:
        await ensure_started(
            factory=factory, temporal=temporal, settings=settings, request_id=request_id
        )
    control = StepControl(actor=user.name, reason=reason)
    await signal(client, request_workflow_id(request_id), SIGNAL_CANCEL_REQUEST, control)
    # Children are abandoned on parent close, so each party workflow is told directly.
    workflow_ids = await run_in_threadpool(_open_workflows, session, request_id)
    for workflow_id in workflow_ids:
        await signal(client, workflow_id, SIGNAL_CANCEL, control)
    detail = {"reason": reason, "open_tasks": str(len(workflow_ids))}
    await run_in_threadpool(_audit, session, user, "request.cancel", request_id, "ok", detail)
    log.info("request.cancel_requested", request_id=request_id, actor_id=user.id)
    return await run_in_threadpool(request_out, session, request)

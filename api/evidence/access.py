"""Who may handle a work order's evidence and calls, and the trail entries they leave."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.access.auth import CASE_SYSTEM, CLERK, CROSS_COURT_ROLES, JUDGE, SUPERVISOR
from api.audit.context import audit_call, audit_user_action
from api.errors import Forbidden, NotFound
from domain.tables.core import ServiceRequest, ServiceTask, TimelineEvent, User, WorkOrder, utcnow

# Court staff who work the orders; judges and case systems only read what their requests got.
HANDLERS = frozenset({CLERK, SUPERVISOR})
READERS = HANDLERS | {JUDGE, CASE_SYSTEM}
SYSTEM_ACTOR = ("call-fetcher", "system")


@dataclass(frozen=True)
class OrderContext:
    """A work order with its task and the request it serves."""

    order: WorkOrder
    task: ServiceTask
    request: ServiceRequest


def load_order(session: Session, order_id: str) -> OrderContext:
    """Returns the order with its task and request; NotFound when there is none."""
    row = session.execute(
        select(WorkOrder, ServiceTask, ServiceRequest)
        .join(ServiceTask, ServiceTask.id == WorkOrder.task_id)
        .join(ServiceRequest, ServiceRequest.id == ServiceTask.request_id)
        .where(WorkOrder.id == order_id)
    ).first()
    if row is None:
        raise NotFound("no such work order")
    return OrderContext(row[0], row[1], row[2])


def handles(user: User, ctx: OrderContext) -> bool:
    """Tells whether the user works this order: a clerk or supervisor of its court."""
    if user.role not in HANDLERS:
        return False
    if user.court_code is None:
        return user.role in CROSS_COURT_ROLES
    return user.court_code == ctx.order.court_code


def reads(user: User, ctx: OrderContext) -> bool:
    """Tells whether the user may see the order's evidence (reads_private of its request)."""
    return handles(user, ctx) or reads_private(user, ctx.request)


def reads_private(user: User, request: ServiceRequest) -> bool:
    """Tells whether the user may see a request's evidence and archive: its court's clerks and
    supervisors, the request's judge (who submitted or handles it) or the case system that
    submitted it; never ops, other judges or administrators."""
    if user.role in HANDLERS:
        if user.court_code is None:
            return user.role in CROSS_COURT_ROLES
        return user.court_code == request.court_code
    if user.role == JUDGE:
        mine = user.id == request.client_id or user.name == request.handler
        return mine and user.court_code in (None, request.court_code)
    return user.role == CASE_SYSTEM and user.id == request.client_id


def order_for_handler(session: Session, user: User, order_id: str) -> OrderContext:
    """Returns the order if the user works it: 403 for other roles, 404 outside its court."""
    if user.role not in HANDLERS:
        raise Forbidden("only clerks and supervisors of the court work orders")
    ctx = load_order(session, order_id)
    if not handles(user, ctx):
        raise NotFound("no such work order")
    return ctx


def order_for_reader(session: Session, user: User, order_id: str) -> OrderContext:
    """Returns the order if the user may see its evidence: 403 for other roles, else 404."""
    if user.role not in READERS:
        raise Forbidden("your role may not see evidence")
    ctx = load_order(session, order_id)
    if not reads(user, ctx):
        raise NotFound("no such work order")
    return ctx


def add_event(
    session: Session, ctx: OrderContext, key: str, kind: str, detail: dict[str, Any]
) -> None:
    """Adds a timeline event to the order's task, after its latest, once per key."""
    if session.scalar(select(TimelineEvent.id).where(TimelineEvent.event_key == key)):
        return
    last = session.scalar(
        select(func.max(TimelineEvent.seq)).where(TimelineEvent.task_id == ctx.task.id)
    )
    # The same seq as the workflow's latest event sorts after it by time; its next one sorts after.
    event = TimelineEvent(
        task_id=ctx.task.id, event_key=key, seq=last or 0, at=utcnow(), step=ctx.order.kind,
        kind=kind, detail=detail,
    )  # fmt: skip
    session.add(event)


def audit(
    session: Session,
    user: User | None,
    ctx: OrderContext,
    *,
    action: str,
    target: str,
    outcome: str = "ok",
    detail: dict[str, Any] | None = None,
) -> None:
    """Appends an audit entry for the user (or the background fetcher) in this transaction."""
    if user is not None:
        audit_user_action(
            session, user, action=action, target=target, outcome=outcome,
            court_code=ctx.order.court_code, detail=detail,
        )  # fmt: skip
        return
    actor, role = SYSTEM_ACTOR
    audit_call(
        session, actor=actor, role=role, action=action, target=target,
        court_code=ctx.order.court_code, outcome=outcome, detail=detail,
    )  # fmt: skip

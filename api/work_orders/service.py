"""Work orders: the clerk's and bailiff's queue, and their outcomes sent to the workflow."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload
from starlette.concurrency import run_in_threadpool
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from api.access.auth import as_utc
from api.audit.context import audit_user_action
from api.errors import Conflict, Unavailable
from api.requests.views import FULL_VIEW_ROLES, work_order_out
from api.temporal import TemporalHolder, is_not_found
from api.work_orders.bodies import OutcomeIn, OutcomeOut, WorkOrderListOut, WorkOrderOut
from api.work_orders.outcomes import act_time, check_outcome, store_learned
from api.work_orders.scope import order_in_scope, scope
from domain.crypto.keyring import KeyRing
from domain.pure.ladder import WorkOrderOutcome
from domain.pure.names import UPDATE_WORK_ORDER_OUTCOME
from domain.settings import Settings, get_settings
from domain.tables.core import ServiceRequest, ServiceTask, User, WorkOrder
from domain.tables.people import CallAttempt

__all__ = [
    "check_outcome",
    "get_work_order",
    "list_work_orders",
    "order_in_scope",
    "record_outcome",
]

log = structlog.get_logger(__name__)


def _filtered(query: Any, user: User, assignee: str | None, overdue: bool) -> Any:
    if assignee == "me":
        query = query.where(WorkOrder.assignee_id == user.id)
    elif assignee == "unassigned":
        query = query.where(WorkOrder.assignee_id.is_(None))
    elif assignee:
        holder = select(User.id).where(User.name == assignee).scalar_subquery()
        query = query.where(WorkOrder.assignee_id == holder)
    if overdue:
        query = query.where(WorkOrder.status == "open", WorkOrder.due_at < datetime.now(UTC))
    return query


def list_work_orders(
    *,
    session: Session,
    user: User,
    status: str | None,
    kind: str | None,
    limit: int,
    ring: KeyRing,
    assignee: str | None = None,
    overdue: bool = False,
) -> WorkOrderListOut:
    """Returns the orders in the caller's scope, soonest due first.

    assignee: "me", "unassigned" or a user name; overdue: only open orders past their due time.
    """
    query = (
        select(WorkOrder, ServiceTask, ServiceRequest.case_number)
        .join(ServiceTask, ServiceTask.id == WorkOrder.task_id)
        .join(ServiceRequest, ServiceRequest.id == ServiceTask.request_id)
        .where(scope(user))
        .options(joinedload(ServiceTask.party))
        .order_by(WorkOrder.due_at, WorkOrder.id)
        .limit(limit)
    )
    if status is not None:
        query = query.where(WorkOrder.status == status)
    if kind is not None:
        query = query.where(WorkOrder.kind == kind)
    rows = session.execute(_filtered(query, user, assignee, overdue)).all()
    extras = _extras(session, [order for order, _, _ in rows])
    items = [
        _with_extras(work_order_out(order, task, case, user.role, ring), order, extras)
        for order, task, case in rows
    ]
    # Viewing full contact data is worth a trace (who, how many), never the data itself.
    log.info(
        "work_orders.listed",
        actor_id=user.id,
        count=len(items),
        full_view=user.role in FULL_VIEW_ROLES,
    )
    return WorkOrderListOut(items=items)


def get_work_order(*, session: Session, user: User, order_id: str, ring: KeyRing) -> WorkOrderOut:
    """Returns one order in the caller's scope (404 otherwise), as the queue shows it."""
    order, task = order_in_scope(session, user, order_id)
    case = session.get_one(ServiceRequest, task.request_id).case_number
    out = work_order_out(order, task, case, user.role, ring)
    return _with_extras(out, order, _extras(session, [order]))


def _extras(session: Session, orders: list[WorkOrder]) -> dict[str, dict[str, Any]]:
    """Returns holders' names and call counts of the orders, in two queries."""
    ids = [o.id for o in orders]
    holder_ids = {o.assignee_id for o in orders if o.assignee_id}
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(holder_ids))).all())
    # Calls with a result, as the unreachable rule counts them (a CTI call not yet fetched waits).
    counted = select(CallAttempt.work_order_id, func.count()).where(
        CallAttempt.work_order_id.in_(ids), CallAttempt.result.is_not(None)
    )
    counts = dict(session.execute(counted.group_by(CallAttempt.work_order_id)).all())
    return {"names": names, "counts": counts}


def _with_extras(
    out: WorkOrderOut, order: WorkOrder, extras: dict[str, dict[str, Any]]
) -> WorkOrderOut:
    now = datetime.now(UTC)
    return out.model_copy(
        update={
            "assignee": extras["names"].get(order.assignee_id or ""),
            "overdue": order.status == "open" and as_utc(order.due_at) < now,
            "call_attempts": extras["counts"].get(order.id, 0),
            "reminded_at": as_utc(order.reminded_at) if order.reminded_at else None,
            "escalated_at": as_utc(order.escalated_at) if order.escalated_at else None,
        }
    )


async def record_outcome(
    *,
    session: Session,
    temporal: TemporalHolder,
    user: User,
    order_id: str,
    body: OutcomeIn,
    settings: Settings | None = None,
) -> OutcomeOut:
    """Checks the outcome, stores what the clerk learned, and sends it to the workflow."""
    config = settings or get_settings()
    workflow_id = await run_in_threadpool(
        check_outcome, session=session, user=user, order_id=order_id, body=body, settings=config
    )
    client = await temporal.client()
    act = await run_in_threadpool(_act_time, session=session, order_id=order_id, body=body)
    learned = await run_in_threadpool(
        store_learned, session=session, order_id=order_id, body=body, ring=config.key_ring
    )
    outcome = WorkOrderOutcome(
        work_order_id=order_id, outcome=body.outcome, note=body.note, actor=user.name,
        new_address_index=learned.address_index, new_phone_index=learned.phone_index,
        at=act.isoformat() if act else "",
    )  # fmt: skip
    try:
        # An update, not a signal: its validator refuses an order closed meanwhile, and the
        # caller learns it now instead of the outcome vanishing.
        await client.get_workflow_handle(workflow_id).execute_update(
            UPDATE_WORK_ORDER_OUTCOME, outcome
        )
    except WorkflowUpdateFailedError:
        raise Conflict("the work order was closed meanwhile") from None
    except RPCError as exc:
        if is_not_found(exc):
            raise Conflict("the task's workflow is no longer running") from None
        raise Unavailable("Temporal cannot be reached; try again shortly") from exc
    await run_in_threadpool(_audit_outcome, session=session, user=user, order_id=order_id,
                            outcome=body.outcome)  # fmt: skip
    log.info("work_order.outcome_recorded", work_order_id=order_id, actor_id=user.id)
    return OutcomeOut(id=order_id, status="closed", outcome=body.outcome)


def _act_time(*, session: Session, order_id: str, body: OutcomeIn) -> datetime | None:
    return act_time(session, session.get_one(WorkOrder, order_id), body)


def _audit_outcome(*, session: Session, user: User, order_id: str, outcome: str) -> None:
    order = session.get_one(WorkOrder, order_id)
    audit_user_action(
        session, user, action="work_order.outcome", target=order_id,
        court_code=order.court_code, detail={"outcome": outcome},
    )  # fmt: skip
    session.commit()

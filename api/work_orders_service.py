"""Work orders: the clerk's and bailiff's queue, and their outcomes sent to the workflow."""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import Session, joinedload
from starlette.concurrency import run_in_threadpool
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from api.auth import CASE_SYSTEM, CROSS_COURT_ROLES
from api.contacts_service import merge
from api.errors import Conflict, Invalid, NotFound, Unavailable
from api.schemas import AddressIn, OutcomeIn
from api.schemas_out import OutcomeOut, WorkOrderListOut
from api.temporal import TemporalHolder, is_not_found
from api.views import FULL_VIEW_ROLES, work_order_out
from domain.crypto import KeyRing
from domain.ladder import WORK_ORDER_OUTCOMES, WorkOrderOutcome
from domain.models import ServiceRequest, ServiceTask, User, WorkOrder
from domain.names import UPDATE_WORK_ORDER_OUTCOME

log = structlog.get_logger(__name__)


def _scope(user: User) -> ColumnElement[bool]:
    if user.court_code is not None:
        return WorkOrder.court_code == user.court_code
    if user.role in CROSS_COURT_ROLES:
        return true()
    if user.role == CASE_SYSTEM:
        return ServiceRequest.client_id == user.id
    return false()


def list_work_orders(
    *,
    session: Session,
    user: User,
    status: str | None,
    kind: str | None,
    limit: int,
    ring: KeyRing,
) -> WorkOrderListOut:
    """Returns the work orders in the caller's scope, soonest due first."""
    query = (
        select(WorkOrder, ServiceTask, ServiceRequest.case_number)
        .join(ServiceTask, ServiceTask.id == WorkOrder.task_id)
        .join(ServiceRequest, ServiceRequest.id == ServiceTask.request_id)
        .where(_scope(user))
        .options(joinedload(ServiceTask.party))
        .order_by(WorkOrder.due_at, WorkOrder.id)
        .limit(limit)
    )
    if status is not None:
        query = query.where(WorkOrder.status == status)
    if kind is not None:
        query = query.where(WorkOrder.kind == kind)
    rows = session.execute(query).all()
    items = [work_order_out(order, task, case, user.role, ring) for order, task, case in rows]
    # Viewing full contact data is worth a trace (who, how many), never the data itself.
    log.info(
        "work_orders.listed",
        actor_id=user.id,
        count=len(items),
        full_view=user.role in FULL_VIEW_ROLES,
    )
    return WorkOrderListOut(items=items)


def _order_in_scope(session: Session, user: User, order_id: str) -> tuple[WorkOrder, ServiceTask]:
    query = (
        select(WorkOrder, ServiceTask)
        .join(ServiceTask, ServiceTask.id == WorkOrder.task_id)
        .join(ServiceRequest, ServiceRequest.id == ServiceTask.request_id)
        .where(WorkOrder.id == order_id, _scope(user))
    )
    row = session.execute(query).first()
    if row is None:
        raise NotFound("no such work order")
    return row[0], row[1]


def check_outcome(*, session: Session, user: User, order_id: str, body: OutcomeIn) -> str:
    """Returns the task's workflow id if this outcome may be recorded on this order."""
    order, task = _order_in_scope(session, user, order_id)
    if order.status != "open":
        raise Conflict(f"the work order is already {order.status}")
    allowed = WORK_ORDER_OUTCOMES.get(order.kind, frozenset())
    if body.outcome not in allowed:
        message = f"a {order.kind} work order takes one of: {', '.join(sorted(allowed))}"
        raise Invalid([(("body", "outcome"), message)])
    return task.workflow_id


def store_confirmed_address(*, session: Session, order_id: str, body: OutcomeIn) -> int:
    """Appends a clerk-confirmed address to the party; returns its index, or -1 if none."""
    if body.address is None or body.outcome != "reached_address_confirmed":
        return -1
    address = body.address if isinstance(body.address, AddressIn) else AddressIn(text=body.address)
    order = session.get_one(WorkOrder, order_id)
    party = session.get_one(ServiceTask, order.task_id).party
    entry: dict[str, Any] = address.model_dump()
    party.addresses, indexes = merge(party.addresses, [entry], key="text")
    session.commit()
    return indexes[0]


async def record_outcome(
    *, session: Session, temporal: TemporalHolder, user: User, order_id: str, body: OutcomeIn
) -> OutcomeOut:
    """Sends the outcome to the task's workflow as an update; the workflow closes the order."""
    workflow_id = await run_in_threadpool(
        check_outcome, session=session, user=user, order_id=order_id, body=body
    )
    client = await temporal.client()
    index = await run_in_threadpool(
        store_confirmed_address, session=session, order_id=order_id, body=body
    )
    outcome = WorkOrderOutcome(
        work_order_id=order_id, outcome=body.outcome, note=body.note, actor=user.name,
        new_address_index=index,
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
    log.info("work_order.outcome_recorded", work_order_id=order_id, actor_id=user.id)
    return OutcomeOut(id=order_id, status="closed", outcome=body.outcome)

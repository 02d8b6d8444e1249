"""Routes of work orders: the queue, who holds an order, its calls and its outcome."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import (
    Clerk,
    ClerkOrSupervisor,
    SessionDep,
    SettingsDep,
    Supervisor,
    TemporalDep,
    WorkOrderAnswerer,
    WorkOrderReader,
)
from api.work_orders import assignment as work_order_assignment
from api.work_orders import calls as work_order_calls
from api.work_orders import service as work_orders_service
from api.work_orders.bodies import (
    AssignIn,
    AssignmentOut,
    CallIn,
    CallOut,
    CallSummaryOut,
    OutcomeIn,
    OutcomeOut,
    WorkOrderListOut,
)

router = APIRouter(prefix="/v1/work-orders", tags=["work orders"])


@router.get("", response_model=WorkOrderListOut)
def list_work_orders(
    user: WorkOrderReader,
    session: SessionDep,
    settings: SettingsDep,
    status: Annotated[str, Query(pattern=r"^[a-z_]{1,32}$", description="any: every status")] = (
        "open"
    ),
    kind: Literal["phone", "direct"] | None = None,
    assignee: Annotated[
        str | None, Query(max_length=100, description="me, unassigned, or a user name")
    ] = None,
    overdue: Annotated[bool, Query(description="only open orders past their due time")] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> WorkOrderListOut:
    """Lists work orders in the caller's court, the party shown as the role may see it."""
    wanted = None if status == "any" else status
    return work_orders_service.list_work_orders(
        session=session, user=user, status=wanted, kind=kind, limit=limit,
        ring=settings.key_ring, assignee=assignee, overdue=overdue,
    )  # fmt: skip


@router.post("/{order_id}/claim", response_model=AssignmentOut)
def claim(order_id: str, user: Clerk, session: SessionDep) -> AssignmentOut:
    """Takes the order for the calling clerk; 409 when closed or held by another clerk."""
    return work_order_assignment.claim_work_order(session=session, user=user, order_id=order_id)


@router.post("/{order_id}/assign", response_model=AssignmentOut)
def assign(order_id: str, body: AssignIn, user: Supervisor, session: SessionDep) -> AssignmentOut:
    """Assigns or reassigns the order to an active clerk of its court; 422 for anyone else."""
    return work_order_assignment.assign_work_order(
        session=session, user=user, order_id=order_id, assignee=body.assignee,
    )  # fmt: skip


@router.post("/{order_id}/release", response_model=AssignmentOut)
def release(order_id: str, user: ClerkOrSupervisor, session: SessionDep) -> AssignmentOut:
    """Returns the order to the court's queue; by its holder or a supervisor."""
    return work_order_assignment.release_work_order(session=session, user=user, order_id=order_id)


@router.post("/{order_id}/calls", response_model=CallOut, status_code=201)
def record_call(
    order_id: str, body: CallIn, user: ClerkOrSupervisor, session: SessionDep
) -> CallOut:
    """Records a call dialled by hand on a phone order."""
    return work_order_calls.record_call(session=session, user=user, order_id=order_id, body=body)


@router.get("/{order_id}/calls", response_model=CallSummaryOut)
def call_summary(
    order_id: str, user: WorkOrderReader, session: SessionDep, settings: SettingsDep
) -> CallSummaryOut:
    """Summarizes the order's calls (manual and CTI) and whether it may end unreachable."""
    work_order_calls.list_calls(session=session, user=user,
                            order_id=order_id)  # fmt: skip
    return work_order_calls.call_attempts_summary(session, order_id,
        min_attempts=settings.call_min_attempts, min_periods=settings.call_min_periods,
    )  # fmt: skip


@router.post("/{order_id}/outcome", response_model=OutcomeOut)
async def record_outcome(
    order_id: str,
    body: OutcomeIn,
    user: WorkOrderAnswerer,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
) -> OutcomeOut:
    """Records a clerk's or bailiff's outcome; 409 when closed, 422 when it does not fit."""
    return await work_orders_service.record_outcome(
        session=session, temporal=temporal, user=user, order_id=order_id, body=body,
        settings=settings,
    )  # fmt: skip

"""Routes of work orders: the queue and the outcome."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from api import work_orders_service
from api.deps import SessionDep, SettingsDep, TemporalDep, WorkOrderAnswerer, WorkOrderReader
from api.schemas import OutcomeIn
from api.schemas_out import OutcomeOut, WorkOrderListOut

router = APIRouter(prefix="/v1/work-orders", tags=["work orders"])


@router.get("", response_model=WorkOrderListOut)
async def list_work_orders(
    user: WorkOrderReader,
    session: SessionDep,
    settings: SettingsDep,
    status: Annotated[str, Query(pattern=r"^[a-z_]{1,32}$", description="any: every status")] = (
        "open"
    ),
    kind: Literal["phone", "direct"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> WorkOrderListOut:
    """Lists work orders in the caller's court, the party shown as the role may see it."""
    wanted = None if status == "any" else status
    return await run_in_threadpool(
        work_orders_service.list_work_orders,
        session=session, user=user, status=wanted, kind=kind, limit=limit,
        ring=settings.key_ring,
    )  # fmt: skip


@router.post("/{order_id}/outcome", response_model=OutcomeOut)
async def record_outcome(
    order_id: str,
    body: OutcomeIn,
    user: WorkOrderAnswerer,
    session: SessionDep,
    temporal: TemporalDep,
) -> OutcomeOut:
    """Records a clerk's or bailiff's outcome; 409 when closed, 422 when it does not fit."""
    return await work_orders_service.record_outcome(
        session=session, temporal=temporal, user=user, order_id=order_id, body=body
    )

"""Routes of operations: stuck deliveries."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from api.access.court_scope import readable_request_ids
from api.deps import Operator, SessionDep, SettingsDep, TemporalDep
from api.ops.service import StuckOut, find_stuck

router = APIRouter(prefix="/v1/ops", tags=["ops"])


@router.get("/stuck", response_model=StuckOut)
async def stuck(
    user: Operator, session: SessionDep, temporal: TemporalDep, settings: SettingsDep
) -> StuckOut:
    """Lists tasks whose step keeps failing or is overdue, with the reason and since when."""
    found = await find_stuck(session=session, temporal=temporal, settings=settings)
    # Staff bound to a court see that court's tasks only (cross-court ops see all).
    visible = await run_in_threadpool(
        readable_request_ids, session=session, user=user,
        request_ids=[item.request_id for item in found.items],
    )  # fmt: skip
    return StuckOut(items=[item for item in found.items if item.request_id in visible])

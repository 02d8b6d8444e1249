"""Routes of operations: stuck deliveries."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Operator, SessionDep, SettingsDep, TemporalDep
from api.ops.scope import stuck_for
from api.ops.service import StuckOut

router = APIRouter(prefix="/v1/ops", tags=["ops"])


@router.get("/stuck", response_model=StuckOut)
async def stuck(
    user: Operator, session: SessionDep, temporal: TemporalDep, settings: SettingsDep
) -> StuckOut:
    """Lists tasks whose step keeps failing or is overdue, with the reason and since when."""
    # Staff bound to a court see that court's tasks only (cross-court ops see all).
    return await stuck_for(session=session, temporal=temporal, settings=settings, user=user)

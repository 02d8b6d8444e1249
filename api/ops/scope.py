"""The stuck list as a caller may see it: its court's tasks, or every court's when cross-court."""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.access.court_scope import readable_request_ids
from api.ops.service import StuckOut, find_stuck
from api.temporal import TemporalHolder
from domain.settings import Settings
from domain.tables.core import User


async def stuck_for(
    *, session: Session, temporal: TemporalHolder, settings: Settings, user: User
) -> StuckOut:
    """Returns the stuck tasks the user may see (the API's list and the console's page)."""
    found = await find_stuck(session=session, temporal=temporal, settings=settings)
    visible = await run_in_threadpool(
        readable_request_ids, session=session, user=user,
        request_ids=[item.request_id for item in found.items],
    )  # fmt: skip
    return StuckOut(items=[item for item in found.items if item.request_id in visible])

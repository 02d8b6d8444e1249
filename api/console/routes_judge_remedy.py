"""The judge's remedy for a party at risk: straight to direct service, from the case page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from api.console.session import console_user
from api.console.templating import render
from api.errors import TITLES, ApiError
from api.tasks import control as control_service
from domain.pure.names import SIGNAL_SKIP_TO_DIRECT
from domain.tables.core import User

router = APIRouter(prefix="/judge")
Judge = Annotated[User, Depends(console_user("judge"))]


@router.post("/requests/{request_id}/tasks/{task_id}/direct")
async def skip_to_direct(request: Request, request_id: str, task_id: str, user: Judge) -> Response:
    """Sends the party straight to direct service (CPL 88); audited like the API."""
    app = request.app.state
    try:
        with app.session_factory() as session:
            await control_service.control_task(
                session=session, temporal=app.temporal, user=user, task_id=task_id,
                signal_name=SIGNAL_SKIP_TO_DIRECT, reason="直接送达（送达期限预警）",
            )  # fmt: skip
    except ApiError as exc:
        title = TITLES.get(exc.status_code, "操作未能完成")
        return render(request, "error.html", exc.status_code, title=title, message=title)
    return RedirectResponse(f"/console/judge/requests/{request_id}?direct=1", status_code=303)

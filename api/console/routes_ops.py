"""The ops console page: stuck deliveries, with retry, skip-step and cancel buttons."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.access.auth import OPS, SUPERVISOR
from api.console.session import console_user
from api.console.templating import add_navigation, render
from api.errors import TITLES, ApiError
from api.ops.scope import stuck_for
from api.tasks import control as control_service
from domain.pure.names import SIGNAL_RETRY_STEP, SIGNAL_SKIP_STEP
from domain.tables.core import User

router = APIRouter(prefix="/ops")
Operator = Annotated[User, Depends(console_user(OPS, SUPERVISOR))]
SIGNALS = {"retry": SIGNAL_RETRY_STEP, "skip": SIGNAL_SKIP_STEP}
DONE = {"retry": "已要求重试当前步骤", "skip": "已跳过当前步骤", "cancel": "已撤销该送达请求"}
KIND_LABELS = {
    "provider_outage": "通道故障",
    "activity_retrying": "反复重试",
    "work_order_overdue": "工单超期",
    "wait_overdue": "等待超时",
    "deadline_risk": "可能逾期送达",
    "calendar_missing": "缺少节假日数据（公告期满日暂定）",
}

for _role in (OPS, SUPERVISOR):
    add_navigation(_role, "卡住的送达", "/console/ops/stuck")


async def _page(request: Request, user: User, error: str = "") -> Response:
    app = request.app.state
    with app.session_factory() as session:
        stuck = await stuck_for(
            session=session, temporal=app.temporal, settings=app.settings, user=user
        )
    done = DONE.get(request.query_params.get("done", ""), "")
    return render(
        request, "ops_stuck.html", 409 if error else 200, title="卡住的送达", items=stuck.items,
        kinds=KIND_LABELS, error=error, flash=done,
    )  # fmt: skip


@router.get("/stuck", response_class=HTMLResponse)
async def stuck(request: Request, user: Operator) -> Response:
    """Lists stuck tasks with the reason and since when, the longest stuck first."""
    return await _page(request, user)


async def _act(request: Request, user: User, action: str, target: str, reason: str) -> None:
    app = request.app.state
    with app.session_factory() as session:
        if action == "cancel":
            await control_service.cancel_request(
                session=session, factory=app.session_factory, temporal=app.temporal,
                settings=app.settings, user=user, request_id=target, reason=reason,
            )  # fmt: skip
        else:
            await control_service.control_task(
                session=session, temporal=app.temporal, user=user, task_id=target,
                signal_name=SIGNALS[action], reason=reason,
            )  # fmt: skip


@router.post("/{action}/{target}")
async def act(request: Request, action: str, target: str, user: Operator) -> Response:
    """Retries or skips a task's step, or cancels its request; audited like the API."""
    if action not in DONE:
        return await _page(request, user, error="未知操作")
    reason = str((await request.form()).get("reason", ""))[:200] or "console"
    try:
        await _act(request, user, action, target, reason)
    except ApiError as exc:
        # The page speaks Chinese; the English detail stays in the API's answer and the log.
        return await _page(request, user, error=TITLES.get(exc.status_code, "操作未能完成"))
    return RedirectResponse(f"/console/ops/stuck?done={action}", status_code=303)

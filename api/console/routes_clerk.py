"""The clerk's pages: my queue, claim, and the call screen with its forms."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.calls import service as calls_service
from api.console import clerk_orders
from api.console.clerk_forms import call_from_form, errors_of, outcome_from_form
from api.console.downloads import evidence_response
from api.console.judge_form import text
from api.console.labels import CALL_RESULT_LABELS, RELATION_LABELS
from api.console.session import console_user
from api.console.templating import render
from api.errors import ApiError, NotFound
from api.evidence.service import store_evidence
from api.work_orders.assignment import claim_work_order
from api.work_orders.calls import record_call
from api.work_orders.service import record_outcome
from domain.tables.core import User

router = APIRouter(prefix="/clerk")
Clerk = Annotated[User, Depends(console_user("clerk"))]
# Supervisors may open a call screen too (to cover for a clerk); judges never.
Handler = Annotated[User, Depends(console_user("clerk", "supervisor"))]
DONE = {
    "claim": "已领取工单",
    "call": "已登记通话",
    "dial": "正在呼叫，请接听坐席电话",
    "outcome": "已提交结果，送达流程将据此继续",
    "evidence": "证据已上传",
}


@router.get("/queue", response_class=HTMLResponse)
def queue(request: Request, user: Clerk) -> Response:
    """Shows the clerk's orders and the court's unassigned ones, overdue highlighted."""
    rows = clerk_orders.queue(request, user)
    return render(
        request,
        "clerk_queue.html",
        title="我的工单",
        mine=rows["mine"],
        unassigned=rows["unassigned"],
    )


def _with_session(request: Request, call: Any, **kwargs: Any) -> Any:
    with request.app.state.session_factory() as session:
        return call(session=session, **kwargs)


@router.post("/orders/{order_id}/claim")
async def claim(request: Request, order_id: str, user: Clerk) -> Response:
    """Takes an unassigned order of the court and opens its call screen."""
    try:
        await run_in_threadpool(_with_session, request, claim_work_order, user=user,
                                order_id=order_id)  # fmt: skip
    except ApiError as exc:
        return await _screen(request, user, order_id, errors_of(exc), 409)
    return _done(order_id, "claim")


def _done(order_id: str, what: str) -> Response:
    return RedirectResponse(f"/console/clerk/orders/{order_id}?done={what}", status_code=303)


async def _screen(
    request: Request, user: User, order_id: str, errors: dict[str, str], status: int = 200,
    done: str = "",
) -> Response:  # fmt: skip
    try:
        page = await run_in_threadpool(clerk_orders.call_screen, request, user, order_id)
    except NotFound:
        return render(request, "error.html", 404, title="未找到", message="没有这个工单。")
    return render(
        request, "clerk_call.html", status, title="送达工单", errors=errors,
        flash=DONE.get(done, ""), evidence_kinds=clerk_orders.EVIDENCE_KINDS,
        call_results=CALL_RESULT_LABELS, relations=RELATION_LABELS, **page,
    )  # fmt: skip


@router.get("/orders/{order_id}", response_class=HTMLResponse)
async def call_screen(request: Request, order_id: str, user: Handler, done: str = "") -> Response:
    """Shows the call screen: party and number, script, calls, outcome and evidence forms."""
    return await _screen(request, user, order_id, {}, done=done)


@router.post("/orders/{order_id}/dial")
async def dial(request: Request, order_id: str, user: Handler) -> Response:
    """Places a click-to-call through the virtual line."""
    form = await request.form()
    raw = text(form, "phone_index")
    try:
        await run_in_threadpool(
            _with_session, request, calls_service.start_call, settings=request.app.state.settings,
            user=user, order_id=order_id, phone_index=int(raw) if raw.isdigit() else 0,
        )  # fmt: skip
    except ApiError as exc:
        return await _screen(request, user, order_id, errors_of(exc), 409)
    return _done(order_id, "dial")


@router.post("/orders/{order_id}/calls")
async def manual_call(request: Request, order_id: str, user: Handler) -> Response:
    """Records a call dialled by hand."""
    try:
        body = call_from_form(await request.form())
        await run_in_threadpool(_with_session, request, record_call, user=user,
                                order_id=order_id, body=body)  # fmt: skip
    except (ValidationError, ApiError) as exc:
        return await _screen(request, user, order_id, errors_of(exc), 422)
    return _done(order_id, "call")


@router.post("/orders/{order_id}/outcome")
async def outcome(request: Request, order_id: str, user: Handler) -> Response:
    """Records the order's outcome; the workflow takes the next step from it."""
    try:
        body = outcome_from_form(await request.form())
        with request.app.state.session_factory() as session:
            await record_outcome(
                session=session, temporal=request.app.state.temporal, user=user,
                order_id=order_id, body=body, settings=request.app.state.settings,
            )  # fmt: skip
    except (ValidationError, ApiError) as exc:
        return await _screen(request, user, order_id, errors_of(exc), 422)
    return _done(order_id, "outcome")


@router.post("/orders/{order_id}/evidence")
async def evidence(request: Request, order_id: str, user: Handler) -> Response:
    """Uploads a recording, photo, video or signed receipt to the order."""
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _screen(request, user, order_id, {"file": "请选择文件"}, 422)
    content = await upload.read()
    try:
        await run_in_threadpool(
            _with_session, request, store_evidence, store=request.app.state.store, user=user,
            order_id=order_id, kind=text(form, "kind"), filename=upload.filename,
            media_type=upload.content_type or "", content=content,
            settings=request.app.state.settings,
        )  # fmt: skip
    except ApiError as exc:
        errors = errors_of(exc)
        return await _screen(request, user, order_id, {"file": next(iter(errors.values()))}, 422)
    return _done(order_id, "evidence")


@router.get("/evidence/{evidence_id}")
async def evidence_file(request: Request, evidence_id: str, user: Handler) -> Response:
    """Serves a piece of evidence to the clerk or supervisor of its court (audited)."""
    return await evidence_response(request, user, evidence_id)

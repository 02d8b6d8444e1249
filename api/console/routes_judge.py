"""The judge's pages: submit a request from a form, my cases, one request with its timelines."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from api.archive.service import ArchiveFile, download_archive
from api.console import judge_cases
from api.console.downloads import evidence_response
from api.console.judge_form import (
    DOCUMENT_SLOTS,
    form_errors,
    party_count,
    submission_from_form,
    validation_items,
)
from api.console.labels import DOCUMENT_KINDS, PARTY_KINDS, PARTY_ROLES, PROCEDURES
from api.console.session import console_user, source_of
from api.console.templating import render
from api.errors import Forbidden, Invalid, NotFound
from api.requests import service as requests_service
from domain.settings import Settings
from domain.tables.core import Court, User

router = APIRouter(prefix="/judge")
Judge = Annotated[User, Depends(console_user("judge"))]


def _form_context(request: Request, values: dict[str, str], count: int) -> dict[str, Any]:
    settings: Settings = request.app.state.settings
    return {
        "title": "提交送达",
        "values": values,
        "count": count,
        "slots": range(DOCUMENT_SLOTS),
        "document_kinds": DOCUMENT_KINDS,
        "party_kinds": PARTY_KINDS,
        "party_roles": PARTY_ROLES,
        "procedures": PROCEDURES,
        "accelerated": settings.allow_accelerated_clock,
    }


@router.get("/new", response_class=HTMLResponse)
def new_request(request: Request, user: Judge) -> Response:
    """Shows the empty submission form (a fresh external id makes a double submit harmless)."""
    values = {"external_id": f"console-{secrets.token_hex(8)}"}
    return render(request, "judge_new.html", errors={}, **_form_context(request, values, 1))


def _court(request: Request, code: str) -> dict[str, str]:
    with request.app.state.session_factory() as session:
        court = session.get(Court, code)
        return {"code": code, "name": court.name if court else code}


@router.post("/new", response_class=HTMLResponse)
async def submit_request(request: Request, user: Judge) -> Response:
    """Submits the form through the API's service code; refusals come back next to the fields."""
    form = await request.form()
    settings: Settings = request.app.state.settings
    raw = form.get("clock_seconds")
    seconds = float(raw) if isinstance(raw, str) and raw.replace(".", "", 1).isdigit() else None
    court = await run_in_threadpool(_court, request, user.court_code or "")
    errors: dict[str, str] = {}
    try:
        body = await submission_from_form(
            form, court=court, handler=user.name, clock_seconds=seconds
        )
        with request.app.state.session_factory() as session:
            view, _created = await requests_service.submit_request(
                session=session, factory=request.app.state.session_factory,
                store=request.app.state.store, temporal=request.app.state.temporal,
                settings=settings, user=user, body=body,
            )  # fmt: skip
    except ValidationError as exc:
        errors = form_errors(validation_items(exc))
    except Invalid as exc:
        errors = form_errors(exc.errors)
    except Forbidden:
        errors = {"form": "您只能为本院提交送达请求"}
    if errors:
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        context = _form_context(request, values, party_count(form))
        return render(request, "judge_new.html", 422, errors=errors, **context)
    return RedirectResponse(f"/console/judge/requests/{view.id}?submitted=1", status_code=303)


@router.get("/cases", response_class=HTMLResponse)
def my_cases(request: Request, user: Judge) -> Response:
    """Lists the requests the judge submitted or handles, newest first."""
    rows = judge_cases.my_cases(request, user)
    return render(request, "judge_cases.html", title="我的案件", rows=rows)


@router.get("/cases/{request_id}")
def case_link(request_id: str, user: Judge) -> Response:
    """Forwards the link of the judge's "archive ready" SMS to the request page."""
    return RedirectResponse(f"/console/judge/requests/{request_id}", status_code=303)


@router.get("/requests/{request_id}", response_class=HTMLResponse)
def request_page(request: Request, request_id: str, user: Judge, submitted: int = 0) -> Response:
    """Shows a request: each party's status and its ladder as a timeline, and the archive."""
    page = judge_cases.request_page(request, user, request_id)
    if page is None:
        return render(request, "error.html", 404, title="未找到", message="没有这个送达请求。")
    flash = "送达请求已提交，系统正在按方案送达。" if submitted else ""
    return render(request, "judge_request.html", title=page["case_number"], flash=flash, **page)


def _archive(request: Request, user: User, request_id: str) -> ArchiveFile | Forbidden | None:
    with request.app.state.session_factory() as session:
        try:
            return download_archive(
                session=session, store=request.app.state.store, user=user,
                request_id=request_id, source_address=source_of(request),
            )  # fmt: skip
        except NotFound:
            return None
        except Forbidden as refused:
            return refused


@router.get("/requests/{request_id}/archive")
def download(request: Request, request_id: str, user: Judge) -> Response:
    """Serves the request's archive zip to a judge who may read the request (audited)."""
    found = _archive(request, user, request_id)
    if found is None:
        return render(request, "error.html", 404, title="未找到", message="归档尚未生成。")
    if isinstance(found, Forbidden):
        message = "归档含有证据，只有本案承办法官、本院送达员和主管可以下载。"
        return render(request, "error.html", 403, title="无权下载", message=message)
    headers = {
        "Content-Disposition": f'attachment; filename="{found.filename}"',
        "X-Archive-SHA256": found.sha256,
    }
    return Response(found.content, media_type="application/zip", headers=headers)


@router.get("/evidence/{evidence_id}")
async def evidence_file(request: Request, evidence_id: str, user: Judge) -> Response:
    """Serves a piece of evidence of the judge's own request (audited; others are refused)."""
    return await evidence_response(request, user, evidence_id)

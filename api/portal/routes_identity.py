"""The link's landing page and the identity check: name and ID tail, or a one-time code."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from api.portal import attempts, records
from api.portal.deps import PortalSession, SenderDep, SettingsDep, VisitorDep
from api.portal.guard import COOKIE_NAME, SESSION_SECONDS, session_cookie
from api.portal.otp import code_hmac, masked_target, new_code, target_of
from api.portal.pages import NOT_FOUND, PageError, gone, locked, render
from api.portal.records import Visitor
from api.portal.settings import PortalSettings
from domain.store.portal import identity_hmac, normalize_id_tail, normalize_name
from domain.tables.core import PortalPublication

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form(max_length=200)]
NAME_AND_TAIL = "id_tail"
ONE_TIME_CODE = "code"


def load(session: Session, token: str) -> PortalPublication:
    """Returns the publication of a live link; the 404 or 410 page otherwise."""
    publication = records.find_publication(session, token)
    if publication is None:
        raise NOT_FOUND
    if records.expired(publication, records.now()):
        raise gone(publication.expires_at)
    return publication


def landing_page(
    request: Request,
    session: Session,
    publication: PortalPublication,
    token: str,
    *,
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    """Renders the landing page: the case, the documents' titles and the identity check."""
    at = records.now()
    ring = request.app.state.settings.portal_ring
    context = {
        "title": "查阅送达文书",
        "publication": publication,
        "token": token,
        "target": masked_target(publication, ring) if publication.otp_channel else "",
        "channel_label": "邮箱" if publication.otp_channel == "email" else "手机",
        "code_pending": bool(records.pending_codes(session, publication.id, at)),
        "failures_left": attempts.failures_left(session, publication, at),
        "error": error,
    }
    return render(request, "landing.html", context, status)


def _signed_in(token: str, publication: PortalPublication, settings: PortalSettings) -> Response:
    response = RedirectResponse(f"/s/{token}/documents", status_code=303)
    response.set_cookie(
        COOKIE_NAME,
        session_cookie(settings.portal_secret, publication.id),
        max_age=SESSION_SECONDS,
        path=f"/s/{token}",
        httponly=True,
        samesite="strict",
        secure=settings.effective_portal_url.startswith("https://"),
    )
    return response


def _failed(
    request: Request,
    session: Session,
    publication: PortalPublication,
    token: str,
    tried: attempts.Attempt,
    visitor: Visitor,
    error: str,
) -> HTMLResponse:
    attempts.failed(session, publication, tried, visitor)  # 423 when this one locked the link
    return landing_page(request, session, publication, token, error=error, status=403)


@router.get("/s/{token}", response_class=HTMLResponse)
def landing(token: str, request: Request, session: PortalSession, visitor: VisitorDep) -> Response:
    """Shows what was served and asks who is reading; every visit is a receipt `opened`."""
    publication = load(session, token)
    records.add_receipt(session, publication, records.OPENED, visitor)
    if until := attempts.lock_until(session, publication, records.now()):
        raise locked(until)
    return landing_page(request, session, publication, token)


@router.post("/s/{token}/identity", response_class=HTMLResponse)
def check_identity(
    token: str,
    request: Request,
    session: PortalSession,
    settings: SettingsDep,
    visitor: VisitorDep,
    name: FormText = "",
    id_tail: FormText = "",
) -> Response:
    """Compares the keyed hashes of the name and the ID number's last 4 characters."""
    publication = load(session, token)
    attempts.throttle(session, publication, visitor)
    if publication.id_tail_hmac is None:
        error = "本送达对象无身份证号码，请使用验证码核验身份。"
        return landing_page(request, session, publication, token, error=error, status=400)
    tried = attempts.admit(session, publication)
    secret = settings.portal_secret
    name_ok = hmac.compare_digest(
        identity_hmac(secret, normalize_name(name)), publication.name_hmac
    )
    tail_ok = hmac.compare_digest(
        identity_hmac(secret, normalize_id_tail(id_tail)), publication.id_tail_hmac
    )
    if name_ok and tail_ok:
        attempts.passed(session, tried)
        detail = {"method": NAME_AND_TAIL}
        records.add_receipt(session, publication, records.IDENTITY_PASSED, visitor, detail=detail)
        return _signed_in(token, publication, settings)
    detail = {"method": NAME_AND_TAIL, "reason": "mismatch"}
    records.add_receipt(session, publication, records.IDENTITY_FAILED, visitor, detail=detail)
    return _failed(
        request, session, publication, token, tried, visitor,
        "姓名或身份证号码后4位不正确，请核对后重试。",
    )  # fmt: skip


@router.post("/s/{token}/code", response_class=HTMLResponse)
def send_code(
    token: str,
    request: Request,
    session: PortalSession,
    settings: SettingsDep,
    sender: SenderDep,
    visitor: VisitorDep,
) -> Response:
    """Sends a one-time code (valid 10 minutes, one a minute) to the channel of the link."""
    publication = load(session, token)
    attempts.throttle(session, publication, visitor)
    if not publication.otp_channel or not target_of(publication, settings.portal_ring):
        raise PageError(409, "无法发送验证码", "本链接不支持验证码核验，请拨打 12368 联系法院。")
    at = records.now()
    if wait := records.code_wait_seconds(session, publication.id, at):
        raise PageError(429, "验证码已发送", f"验证码每分钟只能发送一次，请 {wait} 秒后再试。")
    code = new_code()
    number = records.code_sends(session, publication.id) + 1
    if not sender.send(publication, code, f"otp-{publication.id}-{number}"):
        records.add_receipt(session, publication, records.CODE_FAILED, visitor)
        raise PageError(502, "验证码发送失败", "验证码暂时无法发送，请稍后再试或拨打 12368。")
    detail = {
        "code_hmac": code_hmac(settings.portal_secret, publication.id, code),
        "expires": (at + records.CODE_VALID).isoformat(),
    }
    records.add_receipt(session, publication, records.CODE_SENT, visitor, detail=detail)
    return RedirectResponse(f"/s/{token}#code", status_code=303)


@router.post("/s/{token}/code/verify", response_class=HTMLResponse)
def verify_code(
    token: str,
    request: Request,
    session: PortalSession,
    settings: SettingsDep,
    visitor: VisitorDep,
    code: FormText = "",
) -> Response:
    """Checks a one-time code against the valid, unused codes of the link."""
    publication = load(session, token)
    attempts.throttle(session, publication, visitor)
    tried = attempts.admit(session, publication)
    submitted = code_hmac(settings.portal_secret, publication.id, code)
    for sent in records.pending_codes(session, publication.id, records.now()):
        if hmac.compare_digest(submitted, str(sent.detail.get("code_hmac", ""))):
            attempts.passed(session, tried)
            detail = {"method": ONE_TIME_CODE, "code_receipt": sent.id}
            records.add_receipt(
                session, publication, records.IDENTITY_PASSED, visitor, detail=detail
            )
            return _signed_in(token, publication, settings)
    detail = {"method": ONE_TIME_CODE, "reason": "mismatch or expired"}
    records.add_receipt(session, publication, records.IDENTITY_FAILED, visitor, detail=detail)
    return _failed(
        request, session, publication, token, tried, visitor,
        "验证码不正确或已过期，请重新输入或重新获取。",
    )  # fmt: skip

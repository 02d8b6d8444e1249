"""The documents behind the identity check: list, view, download and confirm receipt."""

from __future__ import annotations

import mimetypes
import re
from typing import Any
from urllib.parse import quote

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.portal import records
from api.portal.deps import PortalSession, SettingsDep, StoreDep, VisitorDep
from api.portal.guard import COOKIE_NAME, session_valid
from api.portal.pages import PageError, render
from api.portal.routes_identity import load
from api.portal.settings import PortalSettings
from domain.faults import crash_at
from domain.store.documents import DocumentIntegrityError
from domain.tables.core import PortalPublication

router = APIRouter(include_in_schema=False)
log = structlog.get_logger(__name__)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
UNAVAILABLE = PageError(503, "文书暂时无法查阅", "请稍后再试；如持续出现，请拨打 12368 联系法院。")


def _authorized(request: Request, settings: PortalSettings, publication: PortalPublication) -> bool:
    value = request.cookies.get(COOKIE_NAME)
    return session_valid(settings.portal_secret, value, publication.id)


def _to_identity(token: str) -> RedirectResponse:
    return RedirectResponse(f"/s/{token}", status_code=303)


def _document(publication: PortalPublication, sha256: str) -> dict[str, Any]:
    for document in publication.documents:
        if document.get("sha256") == sha256:
            return dict(document)
    raise PageError(404, "未找到该文书", "该文书不在本次送达的范围内，请返回文书列表。")


def safe_filename(title: str, media_type: str) -> str:
    """Returns a download name from a title: no path or control characters, a fitting suffix."""
    stem = _UNSAFE.sub("_", title).strip(" ._")[:80] or "文书"
    suffix = ".pdf" if media_type == "application/pdf" else mimetypes.guess_extension(media_type)
    return stem + (suffix or ".bin")


def _disposition(kind: str, filename: str, sha256: str) -> str:
    fallback = f"document-{sha256[:12]}{filename[filename.rfind('.') :]}"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


@router.get("/s/{token}/documents", response_class=HTMLResponse)
def documents(
    token: str, request: Request, session: PortalSession, settings: SettingsDep
) -> Response:
    """Lists the documents with view and download links and the confirm-receipt button."""
    publication = load(session, token)
    if not _authorized(request, settings, publication):
        return _to_identity(token)
    confirmed = records.first_receipt(session, publication.id, records.CONFIRMED)
    context = {
        "title": "送达文书",
        "publication": publication,
        "token": token,
        "confirmed": confirmed,
    }
    return render(request, "documents.html", context)


def _serve(
    kind: str,
    token: str,
    sha256: str,
    request: Request,
    session: PortalSession,
    settings: PortalSettings,
    store: StoreDep,
    visitor: VisitorDep,
) -> Response:
    publication = load(session, token)
    if not _authorized(request, settings, publication):
        return _to_identity(token)
    document = _document(publication, sha256)
    try:
        content = store.get(sha256)
    except FileNotFoundError:
        log.error("portal.document_missing", document=sha256[:12])
        raise UNAVAILABLE from None
    except DocumentIntegrityError:
        log.error("portal.document_altered", document=sha256[:12])
        raise UNAVAILABLE from None
    receipt = records.VIEWED if kind == "inline" else records.DOWNLOADED
    records.add_receipt(session, publication, receipt, visitor, document_sha256=sha256)
    media_type = str(document.get("media_type") or "application/octet-stream")
    filename = safe_filename(str(document.get("title", "")), media_type)
    headers = {
        "Content-Disposition": _disposition(kind, filename, sha256),
        # The court's file is shown as is, in a sandbox: it may never script the portal.
        "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'",
    }
    return Response(content, media_type=media_type, headers=headers)


@router.get("/s/{token}/documents/{sha256}/view")
def view_document(
    token: str,
    sha256: str,
    request: Request,
    session: PortalSession,
    settings: SettingsDep,
    store: StoreDep,
    visitor: VisitorDep,
) -> Response:
    """Shows a document inline in its own media type; a receipt `viewed`."""
    return _serve("inline", token, sha256, request, session, settings, store, visitor)


@router.get("/s/{token}/documents/{sha256}/download")
def download_document(
    token: str,
    sha256: str,
    request: Request,
    session: PortalSession,
    settings: SettingsDep,
    store: StoreDep,
    visitor: VisitorDep,
) -> Response:
    """Sends a document as an attachment with a safe file name; a receipt `downloaded`."""
    return _serve("attachment", token, sha256, request, session, settings, store, visitor)


@router.post("/s/{token}/confirm", response_class=HTMLResponse)
def confirm(
    token: str,
    request: Request,
    session: PortalSession,
    settings: SettingsDep,
    visitor: VisitorDep,
) -> Response:
    """Records the confirmation of receipt once and shows when it was made."""
    publication = load(session, token)
    if not _authorized(request, settings, publication):
        return _to_identity(token)
    confirmed = records.first_receipt(session, publication.id, records.CONFIRMED)
    if confirmed is None:
        confirmed = records.add_receipt(session, publication, records.CONFIRMED, visitor)
        crash_at("portal.after_confirm")  # development fault hook: stored, never answered
        log.info("portal.confirmed", publication=publication.id)
    context = {
        "title": "已签收",
        "publication": publication,
        "token": token,
        "confirmed": confirmed,
    }
    return render(request, "confirmed.html", context)

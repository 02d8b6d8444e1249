"""Routes of evidence: upload to a work order, list, download."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from api.deps import (
    CurrentUser,
    EvidenceReader,
    OrderHandler,
    SessionDep,
    SettingsDep,
    StoreDep,
)
from api.evidence import service as evidence_service
from api.evidence.bodies import EvidenceListOut, EvidenceOut

router = APIRouter(tags=["evidence"])

EvidenceKind = Literal["recording", "photo", "video", "signed_receipt"]
Sha256 = Annotated[
    str | None,
    Form(
        pattern=r"^[0-9a-fA-F]{64}$",
        description="the SHA-256 the client computed; 422 when the file received differs",
    ),
]


@router.post(
    "/v1/work-orders/{order_id}/evidence",
    response_model=EvidenceOut,
    status_code=201,
    responses={200: {"description": "the same file was already attached"}, 413: {}, 422: {}},
)
async def upload_evidence(
    order_id: str,
    kind: Annotated[EvidenceKind, Form()],
    file: Annotated[UploadFile, File(description="the recording, photo, video or scan")],
    user: OrderHandler,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    response: Response,
    sha256: Sha256 = None,
) -> EvidenceOut:
    """Attaches a file to the work order; its type is read from its bytes, not its header."""
    limit = settings.evidence_limits.get(kind, 0)
    # One byte over the limit is enough to refuse it; nothing bigger is read into memory.
    content = await file.read(limit + 1)
    out, created = await run_in_threadpool(
        evidence_service.store_evidence,
        session=session, store=store, user=user, order_id=order_id, kind=kind,
        filename=file.filename or "", media_type=file.content_type or "", content=content,
        sha256=sha256, settings=settings,
    )  # fmt: skip
    if not created:
        response.status_code = 200
    return out


@router.get("/v1/work-orders/{order_id}/evidence", response_model=EvidenceListOut)
def list_evidence(order_id: str, user: EvidenceReader, session: SessionDep) -> EvidenceListOut:
    """Lists the work order's evidence, oldest first."""
    return evidence_service.list_evidence(session=session, user=user, order_id=order_id)


@router.get(
    "/v1/evidence/{evidence_id}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def download_evidence(
    evidence_id: str, user: CurrentUser, session: SessionDep, store: StoreDep
) -> Response:
    """Downloads a piece of evidence, checked against its SHA-256, to those allowed."""
    content, media_type, filename = evidence_service.open_evidence(
        session=session, store=store, user=user, evidence_id=evidence_id,
    )  # fmt: skip
    ascii_name = filename.encode("ascii", "ignore").decode() or "evidence"
    headers = {
        "Content-Disposition": (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
        ),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }
    return Response(content, media_type=media_type, headers=headers)

"""Routes of evidence: upload to a work order, list, download."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.deps import (
    CurrentUser,
    EvidenceReader,
    OrderHandler,
    SessionDep,
    SettingsDep,
    StoreDep,
)
from api.errors import Invalid
from api.evidence import service as evidence_service
from api.evidence.bodies import EvidenceListOut, EvidenceOut

router = APIRouter(tags=["evidence"])

EVIDENCE_KINDS = ("recording", "photo", "video", "signed_receipt")
SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
# The form is read by the route itself, after its dependencies: FastAPI would read declared
# File/Form parameters before checking the bearer token (issue 13, item 6).
UPLOAD_FORM = {
    "type": "object",
    "required": ["kind", "file"],
    "properties": {
        "kind": {"type": "string", "enum": list(EVIDENCE_KINDS)},
        "file": {
            "type": "string",
            "format": "binary",
            "description": "the recording, photo, video or scan",
        },
        "sha256": {
            "type": "string",
            "pattern": SHA256.pattern,
            "description": "the SHA-256 the client computed; 422 when the file received differs",
        },
    },
}


async def _upload_form(request: Request) -> tuple[str, UploadFile, str | None]:
    form = await request.form(max_files=1, max_fields=4)
    kind, upload, sha256 = form.get("kind"), form.get("file"), form.get("sha256")
    errors: list[tuple[tuple[str | int, ...], str]] = []
    if kind not in EVIDENCE_KINDS:
        errors.append((("body", "kind"), f"kind must be one of {', '.join(EVIDENCE_KINDS)}"))
    if not isinstance(upload, UploadFile):
        errors.append((("body", "file"), "a file is required"))
    if sha256 is not None and not (isinstance(sha256, str) and SHA256.match(sha256)):
        errors.append((("body", "sha256"), "sha256 must be 64 hexadecimal digits"))
    if errors:
        raise Invalid(errors)
    assert isinstance(kind, str) and isinstance(upload, UploadFile)
    return kind, upload, sha256 if isinstance(sha256, str) else None


@router.post(
    "/v1/work-orders/{order_id}/evidence",
    response_model=EvidenceOut,
    status_code=201,
    responses={200: {"description": "the same file was already attached"}, 413: {}, 422: {}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": UPLOAD_FORM}},
        }
    },
)
async def upload_evidence(
    order_id: str,
    request: Request,
    user: OrderHandler,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    response: Response,
) -> EvidenceOut:
    """Attaches a file (form: kind, file, sha256); its type is read from its bytes."""
    kind, file, sha256 = await _upload_form(request)  # the caller is known by now
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

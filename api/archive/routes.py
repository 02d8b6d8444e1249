"""Route of a request's archive: the zip download."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.archive.service import download_archive
from api.deps import ArchiveReader, SessionDep, StoreDep

router = APIRouter(prefix="/v1/service-requests", tags=["service requests"])


@router.get(
    "/{request_id}/archive",
    response_class=Response,
    responses={
        200: {
            "content": {"application/zip": {}},
            "description": "The archive zip; `X-Archive-SHA256` is its SHA-256.",
        },
        404: {"description": "No such request, not readable by the caller, or no archive yet."},
    },
)
def get_archive(
    request_id: str, request: Request, user: ArchiveReader, session: SessionDep, store: StoreDep
) -> Response:
    """Downloads the archive of a completed request (same read scope as the request; audited)."""
    archive = download_archive(
        session=session,
        store=store,
        user=user,
        request_id=request_id,
        source_address=request.client.host if request.client else None,
    )
    return Response(
        content=archive.content,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{archive.filename}"',
            "X-Archive-SHA256": archive.sha256,
        },
    )

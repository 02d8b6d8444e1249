"""Archives: reading a request's archive file, each download recorded in the audit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.audit.context import audit_user_action
from api.errors import Forbidden, NotFound
from api.evidence.access import reads_private
from api.requests.service import readable_request
from domain.store.documents import DocumentStore
from domain.tables.archive import Archive
from domain.tables.core import User

ARCHIVE_DOWNLOADED = "archive.downloaded"


@dataclass(frozen=True)
class ArchiveFile:
    """An archive's bytes, its SHA-256 and the name to save it under."""

    content: bytes
    sha256: str
    filename: str


def download_archive(
    *,
    session: Session,
    store: DocumentStore,
    user: User,
    request_id: str,
    source_address: str | None,
) -> ArchiveFile:
    """Returns the archive of a request the caller may read, and audits the download."""
    request = readable_request(session=session, user=user, request_id=request_id)
    row = session.scalar(select(Archive).where(Archive.request_id == request.id))
    if row is None:
        raise NotFound("this request has no archive yet")
    if not reads_private(user, request):
        # The archive holds the evidence: the evidence routes' rule, and the refusal audited.
        audit_user_action(
            session, user, action=ARCHIVE_DOWNLOADED, target=f"archive:{request.id}",
            outcome="denied", court_code=request.court_code, request_id=request.id,
        )  # fmt: skip
        session.commit()
        raise Forbidden(
            "the archive holds the evidence: only the request's judge, its case system and "
            "the court's clerks and supervisors download it"
        )
    content = store.get(row.sha256)  # checked against its hash on the way out
    audit_user_action(
        session, user, action=ARCHIVE_DOWNLOADED, target=f"archive:{request.id}",
        court_code=request.court_code, detail={"archive_sha256": row.sha256},
        request_id=request.id,
    )  # fmt: skip
    session.commit()
    return ArchiveFile(content=content, sha256=row.sha256, filename=f"archive-{request.id}.zip")

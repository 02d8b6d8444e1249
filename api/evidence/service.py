"""Evidence on work orders: upload (type sniffed, size and hash checked), list and download."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import ApiError, Invalid, NotFound
from api.evidence.access import (
    OrderContext,
    add_event,
    audit,
    load_order,
    order_for_handler,
    order_for_reader,
    reads,
)
from api.evidence.bodies import EvidenceListOut, EvidenceOut
from domain.pure.media_types import EVIDENCE_KINDS, accepted_for, extension, sniff
from domain.settings import Settings, get_settings
from domain.store.documents import DocumentIntegrityError, DocumentStore
from domain.tables.core import User
from domain.tables.people import Evidence

log = structlog.get_logger(__name__)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\\"]")


class TooLarge(ApiError):
    """The file is over the size limit of its kind of evidence."""

    status_code = 413


class Altered(ApiError):
    """The stored file no longer matches its SHA-256: it is never served."""

    status_code = 500


def evidence_out(row: Evidence) -> EvidenceOut:
    """Returns an evidence row's public fields, with its download URL."""
    return EvidenceOut(
        id=row.id, work_order_id=row.work_order_id, task_id=row.task_id, kind=row.kind,
        media_type=row.media_type, sha256=row.sha256, bytes=row.bytes, filename=row.filename,
        created_at=row.created_at, url=f"/v1/evidence/{row.id}",
    )  # fmt: skip


def clean_filename(filename: str, media_type: str, sha256: str) -> str:
    """Returns a safe display name: the base name without control characters, else a made one."""
    base = _UNSAFE.sub("", filename.replace("\\", "/").rsplit("/", 1)[-1]).strip()[:200]
    return base or f"evidence-{sha256[:12]}.{extension(media_type)}"


def check_file(*, kind: str, content: bytes, sha256: str | None, limit: int) -> str:
    """Returns the sniffed media type if the file fits its kind, size and declared hash."""
    if kind not in EVIDENCE_KINDS:
        raise Invalid([(("body", "kind"), f"kind: use one of {', '.join(EVIDENCE_KINDS)}")])
    if len(content) > limit:
        raise TooLarge(f"a {kind} may be at most {limit} bytes; this file is larger")
    if not content:
        raise Invalid([(("body", "file"), "file: it is empty")])
    if sha256 and sha256.strip().lower() != hashlib.sha256(content).hexdigest():
        message = "sha256: the file received does not match it; upload the file again"
        raise Invalid([(("body", "sha256"), message)])
    media_type = sniff(content)
    allowed = accepted_for(kind)
    if media_type not in allowed:
        found = media_type or "an unknown type"
        message = f"file: a {kind} must be one of {', '.join(sorted(allowed))}; it is {found}"
        raise Invalid([(("body", "file"), message)])
    return media_type


def attach(
    session: Session,
    ctx: OrderContext,
    *,
    user: User | None,
    kind: str,
    media_type: str,
    digest: str,
    size: int,
    filename: str,
    evidence_id: str | None = None,
) -> Evidence:
    """Adds an evidence row of a stored file, its timeline event and audit entry (no commit)."""
    row = Evidence(
        work_order_id=ctx.order.id, task_id=ctx.task.id, kind=kind, media_type=media_type,
        sha256=digest, bytes=size, filename=clean_filename(filename, media_type, digest),
        uploaded_by=user.id if user is not None else None,
    )  # fmt: skip
    if evidence_id:
        row.id = evidence_id
    session.add(row)
    session.flush()
    detail: dict[str, Any] = {"evidence_id": row.id, "work_order_id": ctx.order.id, "kind": kind}
    detail |= {"sha256": digest, "bytes": size, "media_type": media_type}
    add_event(session, ctx, f"evidence:{row.id}", "evidence", detail)
    audit(session, user, ctx, action="evidence.upload", target=f"evidence:{row.id}", detail=detail)
    return row


def _existing(session: Session, order_id: str, kind: str, digest: str) -> Evidence | None:
    query = select(Evidence).where(
        Evidence.work_order_id == order_id, Evidence.kind == kind, Evidence.sha256 == digest
    )
    return session.scalars(query.limit(1)).first()


def store_evidence(
    *,
    session: Session,
    store: DocumentStore,
    user: User,
    order_id: str,
    kind: str,
    filename: str,
    media_type: str,
    content: bytes,
    sha256: str | None = None,
    settings: Settings | None = None,
) -> tuple[EvidenceOut, bool]:
    """Stores a file as evidence of the order; returns it and whether it is new (a repeat of
    the same file and kind returns the first). The declared media_type is not trusted."""
    ctx = order_for_handler(session, user, order_id)
    limit = (settings or get_settings()).evidence_limits.get(kind, 0)
    sniffed = check_file(kind=kind, content=content, sha256=sha256, limit=limit)
    digest = hashlib.sha256(content).hexdigest()
    known = _existing(session, order_id, kind, digest)
    if known is not None:
        return evidence_out(known), False
    store.put(content)  # content-addressed: a retry after a crash finds the file already there
    row = attach(
        session, ctx, user=user, kind=kind, media_type=sniffed, digest=digest,
        size=len(content), filename=filename,
    )  # fmt: skip
    session.commit()
    log.info(
        "evidence.stored", evidence_id=row.id, work_order_id=order_id, kind=kind,
        declared_type_matches=media_type.split(";")[0].strip().lower() == sniffed,
    )  # fmt: skip
    return evidence_out(row), True


def list_evidence(*, session: Session, user: User, order_id: str) -> EvidenceListOut:
    """Returns the order's evidence, oldest first, to those who may see it."""
    order_for_reader(session, user, order_id)
    query = select(Evidence).where(Evidence.work_order_id == order_id)
    rows = session.scalars(query.order_by(Evidence.created_at, Evidence.id))
    return EvidenceListOut(items=[evidence_out(row) for row in rows])


def open_evidence(
    *, session: Session, store: DocumentStore, user: User, evidence_id: str
) -> tuple[bytes, str, str]:
    """Returns (content, media_type, filename) of a piece of evidence; every try is audited."""
    row = session.get(Evidence, evidence_id)
    if row is None:
        raise NotFound("no such evidence")
    ctx = load_order(session, row.work_order_id)
    allowed = reads(user, ctx)
    target = f"evidence:{row.id}"
    audit(session, user, ctx, action="evidence.download", target=target,
          outcome="ok" if allowed else "denied", detail={"sha256": row.sha256})  # fmt: skip
    session.commit()
    if not allowed:
        # Ops and others may not even learn that the evidence exists.
        order_for_reader(session, user, row.work_order_id)
        raise NotFound("no such evidence")
    try:
        # The store checks the hash on read: an altered file is refused, never served.
        return store.get(row.sha256), row.media_type, row.filename
    except (DocumentIntegrityError, FileNotFoundError):
        log.error("evidence.file_altered_or_missing", evidence_id=row.id)
        raise Altered("the stored file fails its SHA-256 check; ask ops to restore it") from None

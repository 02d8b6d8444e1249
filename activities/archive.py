"""The build_archive activity: files the request's archive once and chains it into the audit."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Any

import structlog
from sqlalchemy import exists, func, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities.archive_facts import NOTE_KIND, gather
from activities.archive_pack import Sealing, pack
from activities.archive_pdf import register_font
from domain.crypto.court_seal import CourtSeals
from domain.pure.archive_io import ArchiveInput, ArchiveResult
from domain.settings import Settings
from domain.store.audit import chain_head
from domain.store.audit_appender import append_audit
from domain.store.documents import DocumentStore
from domain.tables.archive import Archive
from domain.tables.core import ServiceTask, TimelineEvent
from domain.tables.trust import AuditEntry

log = structlog.get_logger(__name__)
ARCHIVE_CREATED = "archive.created"
SEAL_CREATED = "court_seal.created"


def archive_url(settings: Settings, request_id: str) -> str:
    """Returns where the case system downloads a request's archive."""
    return f"{settings.effective_api_url}/v1/service-requests/{request_id}/archive"


def note_on_tasks(session: Session, request_id: str, key: str, detail: dict[str, Any]) -> None:
    """Adds a hand-back note to each task's timeline, once per key (the caller commits)."""
    # One statement for all the tasks: each one's id, whether its note is there, its last seq.
    event_key = literal(f"{key}:") + ServiceTask.id
    noted = exists().where(TimelineEvent.event_key == event_key)
    last = select(func.max(TimelineEvent.seq)).where(TimelineEvent.task_id == ServiceTask.id)
    query = (
        select(ServiceTask.id, noted, last.scalar_subquery())
        .where(ServiceTask.request_id == request_id)
        .order_by(ServiceTask.position)
    )
    for task_id, found, last_seq in session.execute(query).all():
        if found:
            continue
        session.add(
            TimelineEvent(
                task_id=task_id,
                event_key=f"{key}:{task_id}",
                seq=(last_seq or 0) + 1,
                at=datetime.now(UTC),
                step=None,
                kind=NOTE_KIND,
                detail=detail,
            )
        )


class ArchiveActivities:
    """Builds archives; a request has one, found again after a crash or a retry."""

    def __init__(
        self, session_factory: sessionmaker[Session], store: DocumentStore, settings: Settings
    ) -> None:
        self.session_factory = session_factory
        self.store = store
        self.settings = settings
        self.seals = CourtSeals.from_settings(settings)

    def _sealing(
        self, session: Session, court_code: str, row: Archive | None
    ) -> tuple[Sealing | None, dict[str, Any]]:
        """Returns the chain head and court key that seal a new archive; for one filed before
        (its file lost), the very same ones, read back from its audit entry."""
        if row is None:
            key, created = self.seals.ensure(court_code)
            if created:
                # A court's first archive creates its key; `songda keys court-seal` exports it.
                # Chained now, so the head read next (and sealed into the archive) covers it.
                append_audit(
                    session,
                    actor="system",
                    role="system",
                    action=SEAL_CREATED,
                    target=f"court_seal:{key.key_id}",
                    court_code=court_code,
                    detail={"fingerprint": key.fingerprint},
                )
            head = chain_head(session)
        else:
            entry = session.get(AuditEntry, row.audit_seq) if row.audit_seq else None
            detail = entry.detail if entry is not None else {}
            if "seal_key_id" not in detail:
                return None, {}  # filed before archives were sealed: rebuilt as it was
            key, head = self.seals.get(court_code, detail["seal_key_id"]), detail["audit_head"]
        sign = partial(self.seals.sign_manifest, key)
        return Sealing(head, sign), {"audit_head": head, "seal_key_id": key.key_id}

    def _result(self, row: Archive) -> ArchiveResult:
        return ArchiveResult(
            sha256=row.sha256,
            bytes=row.bytes,
            url=archive_url(self.settings, row.request_id),
            manifest_sha256=row.manifest_sha256,
        )

    def _existing(self, session: Session, request_id: str) -> Archive | None:
        return session.scalar(select(Archive).where(Archive.request_id == request_id))

    @activity.defn
    def build_archive(self, arg: ArchiveInput) -> ArchiveResult:
        """Builds, files and audits the request's archive, or returns the one already filed."""
        with self.session_factory() as session:
            row = self._existing(session, arg.request_id)
            if row is not None and self.store.exists(row.sha256):
                return self._result(row)
            register_font(self.settings.pdf_font)
            facts = gather(session, arg.request_id)
            sealing, sealed = self._sealing(session, facts.court_code, row)
            packed = pack(facts, self.store, sealing)
            sha256 = self.store.put(packed.content)
            if row is not None:
                return self._result(row)  # the file was lost from the store: filed again
            row = Archive(
                request_id=facts.request_id,
                sha256=sha256,
                bytes=len(packed.content),
                manifest_sha256=packed.manifest_sha256,
            )
            session.add(row)
            entry = append_audit(
                session,
                actor=arg.workflow_id or "system",
                role="system",
                action=ARCHIVE_CREATED,
                target=f"archive:{facts.request_id}",
                court_code=facts.court_code,
                request_id=facts.request_id,
                detail={
                    "manifest_sha256": packed.manifest_sha256,
                    "archive_sha256": sha256,
                    **sealed,
                },
            )
            row.audit_seq = entry.seq
            key = f"archive:{facts.request_id}"
            note_on_tasks(session, facts.request_id, key, {"archive_sha256": sha256})
            try:
                session.commit()
            except IntegrityError:
                # Another try filed it first: same facts, so the same archive.
                session.rollback()
                row = self._existing(session, arg.request_id)
                if row is None:
                    raise
            log.info("archive.filed", request_id=arg.request_id, bytes=row.bytes)
            return self._result(row)

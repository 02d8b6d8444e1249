"""Reading the audit: search (newest first) and chain verification, each read itself audited."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from api.access.auth import as_utc
from api.audit.bodies import AuditEntryOut, AuditPageOut, ChainReportOut
from api.audit.context import audit_user_action
from domain.store.audit import verify_chain
from domain.tables.core import User
from domain.tables.trust import AuditEntry

BEIJING = ZoneInfo("Asia/Shanghai")
MAX_LIMIT = 500


@dataclass(frozen=True)
class AuditQuery:
    """Search filters; naive times are Beijing time, `until` is exclusive."""

    actor: str | None = None
    action: str | None = None  # exact, or a prefix when it ends with "*"
    target: str | None = None
    court: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 100
    before: int | None = None  # seq: entries older than this one

    def filters(self) -> dict[str, Any]:
        """Returns the filters that were set, for the audit entry of the search itself."""
        given = {key: value for key, value in asdict(self).items() if value is not None}
        return {key: str(value) for key, value in given.items()}


def _utc(moment: datetime) -> datetime:
    # SQLite keeps UTC wall-clock text: compare in UTC on every database.
    aware = moment.replace(tzinfo=BEIJING) if moment.tzinfo is None else moment
    return aware.astimezone(UTC)


def _where(query: AuditQuery, user: User) -> list[Any]:
    where: list[Any] = []
    if query.actor:
        where.append(AuditEntry.actor == query.actor)
    if query.action:
        prefix = query.action.removesuffix("*")
        exact = prefix == query.action
        where.append(AuditEntry.action == prefix if exact else AuditEntry.action.startswith(prefix))
    if query.target:
        where.append(AuditEntry.target == query.target)
    # An auditor bound to a court reads that court's entries only.
    court = user.court_code or query.court
    if court:
        where.append(AuditEntry.court_code == court)
    if query.since is not None:
        where.append(AuditEntry.at >= _utc(query.since))
    if query.until is not None:
        where.append(AuditEntry.at < _utc(query.until))
    if query.before is not None:
        where.append(AuditEntry.seq < query.before)
    return where


def _select(query: AuditQuery, user: User) -> Select[Any]:
    limit = max(1, min(query.limit, MAX_LIMIT))
    return (
        select(AuditEntry).where(*_where(query, user)).order_by(AuditEntry.seq.desc()).limit(limit)
    )


def entry_out(entry: AuditEntry) -> AuditEntryOut:
    """Returns an entry for an answer, its time in Beijing time."""
    return AuditEntryOut(
        seq=entry.seq,
        at=as_utc(entry.at).astimezone(BEIJING),
        actor=entry.actor,
        role=entry.role,
        court_code=entry.court_code,
        action=entry.action,
        target=entry.target,
        outcome=entry.outcome,
        request_id=entry.request_id,
        source_address=entry.source_address,
        detail=entry.detail,
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )


def find_entries(*, session: Session, user: User, query: AuditQuery) -> AuditPageOut:
    """Returns a page of matching entries, newest first (no audit entry of its own)."""
    entries = list(session.scalars(_select(query, user)))
    full_page = len(entries) == max(1, min(query.limit, MAX_LIMIT))
    return AuditPageOut(
        items=[entry_out(entry) for entry in entries],
        next_before=entries[-1].seq if entries and full_page else None,
    )


def search(*, session: Session, user: User, query: AuditQuery) -> AuditPageOut:
    """Searches the audit and records that the caller did."""
    page = find_entries(session=session, user=user, query=query)
    detail = {"filters": query.filters(), "returned": len(page.items)}
    audit_user_action(session, user, action="audit.search", detail=detail)
    session.commit()
    return page


def verify(*, session: Session, user: User) -> ChainReportOut:
    """Verifies the whole chain and records that the caller did, with the result."""
    report = verify_chain(session)
    audit_user_action(
        session,
        user,
        action="audit.verify",
        outcome="ok" if report.ok else "broken",
        detail={"entries": report.entries, "first_broken": report.first_broken},
    )
    session.commit()
    return ChainReportOut(**report.as_dict())

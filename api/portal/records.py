"""The portal's reads and writes: publications by token, receipts, the lockout rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, load_only

from domain.store.portal import TOKEN_PATTERN, token_sha256
from domain.tables.core import PortalPublication, PortalReceipt, new_id

CODE_VALID = timedelta(minutes=10)
CODE_INTERVAL = timedelta(seconds=60)

OPENED = "opened"
IDENTITY_PASSED = "identity_passed"
IDENTITY_FAILED = "identity_failed"
CODE_SENT = "code_sent"
CODE_FAILED = "code_failed"
VIEWED = "viewed"
DOWNLOADED = "downloaded"
CONFIRMED = "confirmed"
WRITTEN = (
    "id", "publication_id", "kind", "at", "client_address", "user_agent", "document_sha256",
    "detail",
)  # fmt: skip


def aware(moment: datetime) -> datetime:
    """Returns a stored time as aware UTC (SQLite hands back naive ones)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def now() -> datetime:
    """Returns the current time, aware UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Visitor:
    """Who acted: the client's address and user agent, kept with every receipt."""

    client_address: str | None
    user_agent: str | None


def find_publication(session: Session, token: str) -> PortalPublication | None:
    """Returns the publication a link token opens, or None for an unknown or malformed one."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    query = select(PortalPublication).where(PortalPublication.token_sha256 == token_sha256(token))
    return session.scalar(query)


def expired(publication: PortalPublication, at: datetime) -> bool:
    """Tells whether the link has expired."""
    return aware(publication.expires_at) <= at


def add_receipt(
    session: Session,
    publication: PortalPublication,
    kind: str,
    visitor: Visitor,
    *,
    document_sha256: str | None = None,
    detail: dict[str, Any] | None = None,
) -> PortalReceipt:
    """Records one act of the recipient and commits it."""
    receipt = PortalReceipt(
        id=new_id(),
        publication_id=publication.id,
        kind=kind,
        at=now(),
        client_address=(visitor.client_address or "")[:64] or None,
        user_agent=(visitor.user_agent or "")[:500] or None,
        document_sha256=document_sha256,
        detail=detail or {},
    )
    # Only the columns the portal's role may write (migration 0013): never forwarded_at.
    values = {column: getattr(receipt, column) for column in WRITTEN}
    session.execute(insert(PortalReceipt).values(**values))
    session.commit()
    return receipt


def receipts(
    session: Session, publication_id: str, kinds: tuple[str, ...], since: datetime | None = None
) -> list[PortalReceipt]:
    """Returns a publication's receipts of the given kinds, oldest first."""
    # Only the columns the portal's role may read (migration 0013): never forwarded_at.
    readable = load_only(
        PortalReceipt.publication_id, PortalReceipt.kind, PortalReceipt.at,
        PortalReceipt.document_sha256, PortalReceipt.detail,
    )  # fmt: skip
    query = (
        select(PortalReceipt)
        .options(readable)
        .where(PortalReceipt.publication_id == publication_id, PortalReceipt.kind.in_(kinds))
    )
    if since is not None:
        query = query.where(PortalReceipt.at >= since)
    return list(session.scalars(query.order_by(PortalReceipt.at, PortalReceipt.id)))


def first_receipt(session: Session, publication_id: str, kind: str) -> PortalReceipt | None:
    """Returns the earliest receipt of a kind, or None."""
    found = receipts(session, publication_id, (kind,))
    return found[0] if found else None


def pending_codes(session: Session, publication_id: str, at: datetime) -> list[PortalReceipt]:
    """Returns the live code (at most one: a new code replaces the last) if valid and unused."""
    sent = receipts(session, publication_id, (CODE_SENT,), since=at - CODE_VALID)[-1:]
    used = {
        str(r.detail.get("code_receipt"))
        for r in receipts(session, publication_id, (IDENTITY_PASSED,), since=at - CODE_VALID)
    }
    valid = [
        r
        for r in sent
        if r.id not in used and datetime.fromisoformat(str(r.detail.get("expires"))) > at
    ]
    return valid[::-1]


def code_wait_seconds(session: Session, publication_id: str, at: datetime) -> int:
    """Returns how long until another code may be sent (one per minute per link), 0 if now."""
    recent = receipts(session, publication_id, (CODE_SENT,), since=at - CODE_INTERVAL)
    if not recent:
        return 0
    return max(1, int((aware(recent[-1].at) + CODE_INTERVAL - at).total_seconds()) + 1)


def code_sends(session: Session, publication_id: str) -> int:
    """Counts the code sends tried so far (their number makes each gateway reference unique)."""
    return len(receipts(session, publication_id, (CODE_SENT, CODE_FAILED)))

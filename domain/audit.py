"""The audit chain: every action appended to `audit_log`, each entry hashing the one before."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from domain.models_trust import AuditEntry

GENESIS = "0" * 64


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """Returns SHA-256 over the previous hash and the entry's fields in canonical JSON."""
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def chained_fields(entry: AuditEntry) -> dict[str, Any]:
    """Returns the fields of an entry that its hash covers."""
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)
    return {
        "at": at.astimezone(UTC).isoformat(),
        "actor": entry.actor,
        "role": entry.role,
        "court_code": entry.court_code,
        "action": entry.action,
        "target": entry.target,
        "outcome": entry.outcome,
        "request_id": entry.request_id,
        "source_address": entry.source_address,
        "detail": entry.detail,
    }


def _lock_chain(session: Session) -> None:
    # One writer at a time extends the chain; the lock ends with the transaction.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext('songda.audit_log'))"))


def record_audit(
    session: Session,
    *,
    actor: str,
    role: str,
    action: str,
    target: str = "",
    court_code: str | None = None,
    outcome: str = "ok",
    request_id: str | None = None,
    source_address: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Appends an entry to the chain in the caller's transaction (the caller commits)."""
    _lock_chain(session)
    last = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1))
    entry = AuditEntry(
        at=datetime.now(UTC).replace(microsecond=0),
        actor=actor,
        role=role,
        court_code=court_code,
        action=action,
        target=target,
        outcome=outcome,
        request_id=request_id,
        source_address=source_address,
        detail=detail or {},
        prev_hash=last or GENESIS,
    )
    entry.hash = entry_hash(entry.prev_hash, chained_fields(entry))
    session.add(entry)
    session.flush()
    return entry

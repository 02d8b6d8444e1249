"""The audit chain: every action appended to `audit_log`, each entry hashing the one before."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

from domain.tables.trust import AuditEntry, AuditOutboxEntry

GENESIS = "0" * 64
VERIFY_BATCH = 1000
# Connection.info key: the transaction of this connection that holds the chain's lock.
HOLDS_CHAIN_LOCK = "songda.audit.holds_chain_lock"

EDITED = "the entry's content does not match its hash: it was altered"
UNLINKED = (
    "the entry does not link to the one before it: an entry before it was removed, inserted "
    "or altered"
)


@dataclass(frozen=True)
class ChainReport:
    """What a walk of the chain found; first_broken is the seq of the first bad entry."""

    ok: bool
    entries: int
    first_broken: int | None = None
    reason: str | None = None
    # Hash of the last sound entry: kept outside the database, it also reveals a cut tail.
    head: str = GENESIS

    def as_dict(self) -> dict[str, Any]:
        """Returns the report as a JSON-ready dict."""
        return asdict(self)


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """Returns SHA-256 over the previous hash and the entry's fields in canonical JSON."""
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def chained_fields(entry: Any) -> dict[str, Any]:
    """Returns the fields of an entry (a chained one, or a row with the same fields) that its
    hash covers."""
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


def _as_stored(detail: dict[str, Any]) -> dict[str, Any]:
    stored: dict[str, Any] = json.loads(json.dumps(detail, ensure_ascii=False, default=str))
    return stored


def lock_chain(session: Session | Connection) -> None:
    """Takes the chain's lock for the rest of the transaction: one writer extends the chain."""
    connection = session if isinstance(session, Connection) else session.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('songda.audit_log'))"))
        # Reads on this connection must not wait for the lock their own transaction holds.
        connection.info[HOLDS_CHAIN_LOCK] = connection.get_transaction()
    elif dialect == "sqlite":
        # A write that touches no row still takes SQLite's write lock (and starts the
        # transaction), so the last hash read next cannot change before our insert commits.
        connection.execute(text("UPDATE audit_log SET seq = seq WHERE 0"))


def holds_chain_lock(connection: Connection) -> bool:
    """Tells whether the connection's current transaction holds the chain's lock."""
    held = connection.info.get(HOLDS_CHAIN_LOCK)
    return held is not None and held is connection.get_transaction()


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
) -> None:
    """Records an entry in the caller's transaction (the caller commits).

    On PostgreSQL the entry goes to the outbox, so it commits with the change it records while
    the transaction holds no chain lock; the appender chains it after the commit, and whoever
    reads the chain chains what waits first (domain.store.audit_appender). On SQLite, whose
    writing transaction already holds the database's one write lock, it is chained at once.
    """
    fields = stored_fields(
        actor=actor, role=role, action=action, target=target, court_code=court_code,
        outcome=outcome, request_id=request_id, source_address=source_address, detail=detail,
    )  # fmt: skip
    if session.get_bind().dialect.name == "postgresql":
        session.add(AuditOutboxEntry(**fields))
        return
    chain_entry(session, fields)


def stored_fields(
    *,
    actor: str,
    role: str,
    action: str,
    target: str,
    court_code: str | None,
    outcome: str,
    request_id: str | None,
    source_address: str | None,
    detail: dict[str, Any] | None,
) -> dict[str, Any]:
    """Returns an entry's fields as the database keeps them, stamped with the time now."""
    # Cut to the column sizes and round-trip the detail through JSON first, so the hash covers
    # exactly what the database keeps (PostgreSQL would refuse a long value, SQLite keep it).
    return {
        "at": datetime.now(UTC).replace(microsecond=0),
        "actor": actor[:100],
        "role": role[:32],
        "court_code": court_code[:32] if court_code else court_code,
        "action": action[:64],
        "target": target[:200],
        "outcome": outcome[:32],
        "request_id": request_id[:64] if request_id else request_id,
        "source_address": source_address[:64] if source_address else source_address,
        "detail": _as_stored(detail or {}),
    }


def chain_entry(session: Session, fields: dict[str, Any]) -> AuditEntry:
    """Chains one entry now, in the caller's transaction, under the chain lock until commit."""
    lock_chain(session)
    last = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1))
    entry = AuditEntry(**fields, prev_hash=last or GENESIS)
    entry.hash = entry_hash(entry.prev_hash, chained_fields(entry))
    session.add(entry)
    session.flush()
    return entry


def chain_head(session: Session) -> dict[str, Any]:
    """Returns the chain's last entry as {"seq", "hash"}: what an archive records it followed."""
    query = select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    last = session.execute(query).first()
    return {"seq": last.seq, "hash": last.hash} if last else {"seq": 0, "hash": GENESIS}


def _batches(session: Session, batch_size: int) -> Iterator[list[Any]]:
    # Keyset pages of plain rows (read like entries, by attribute): a million entries never
    # sit in memory or in the session, and no ORM object is built per row.
    columns = list(AuditEntry.__table__.columns)
    after = -1
    while True:
        query = select(*columns).where(AuditEntry.seq > after).order_by(AuditEntry.seq)
        rows = list(session.execute(query.limit(batch_size)).all())
        if not rows:
            return
        yield rows
        after = rows[-1].seq


def verify_chain(session: Session, *, batch_size: int = VERIFY_BATCH) -> ChainReport:
    """Walks the chain in seq order, recomputing every hash; reports the first broken entry."""
    expected_prev = GENESIS
    count = 0
    for batch in _batches(session, batch_size):
        for entry in batch:
            count += 1
            reason = _fault(entry, expected_prev)
            if reason is not None:
                total = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
                return ChainReport(False, total, entry.seq, reason, expected_prev)
            expected_prev = entry.hash
    return ChainReport(True, count, head=expected_prev)


def _fault(entry: AuditEntry, expected_prev: str) -> str | None:
    if entry.prev_hash != expected_prev:
        return UNLINKED
    if entry_hash(entry.prev_hash, chained_fields(entry)) != entry.hash:
        return EDITED
    return None

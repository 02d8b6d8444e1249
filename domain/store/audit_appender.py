"""The audit appender: chains the outbox's entries into the audit log in batches.

An action's transaction writes its entry to `audit_outbox` (record_audit, on PostgreSQL) and
commits without touching the chain. The appender takes the chain's lock once per batch, links
the batch's entries in outbox order after the chain's last hash, and deletes them from the
outbox in the same transaction: a crash before its commit leaves them waiting for the next
appender, and two appenders never fork the chain (the second waits for the lock, then reads
the head the first committed). Whoever reads the chain chains what waits first, so a reader
never sees a committed entry missing (drain_before_reads, on every PostgreSQL engine).
"""

from __future__ import annotations

import re
import threading
from typing import Any, cast

import structlog
from sqlalchemy import (
    Connection,
    Engine,
    Table,
    delete,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from domain.store.audit import (
    GENESIS,
    chain_entry,
    chained_fields,
    entry_hash,
    holds_chain_lock,
    lock_chain,
    stored_fields,
)
from domain.tables.trust import AuditEntry, AuditOutboxEntry

log = structlog.get_logger(__name__)

BATCH = 500
# How often the background appender looks; readers drain for themselves, so this bounds only
# how long an entry waits when nobody reads the chain.
INTERVAL_SECONDS = 0.2

OUTBOX = cast(Table, AuditOutboxEntry.__table__)
LOG = cast(Table, AuditEntry.__table__)
CONTENT = [column.name for column in OUTBOX.columns if column.name != "id"]


def chain_outbox(connection: Connection, *, limit: int = BATCH) -> int:
    """Chains up to limit waiting entries, oldest first, in the connection's transaction (whose
    caller holds the chain's lock); returns how many."""
    query = select(OUTBOX).order_by(OUTBOX.c.id).limit(limit).with_for_update()
    rows = connection.execute(query).all()
    if not rows:
        return 0
    last = connection.scalar(select(LOG.c.hash).order_by(LOG.c.seq.desc()).limit(1)) or GENESIS
    seqs = _reserve_seqs(connection, len(rows))
    values: list[dict[str, Any]] = []
    for position, row in enumerate(rows):
        entry = {name: getattr(row, name) for name in CONTENT}
        entry["prev_hash"] = last
        last = entry["hash"] = entry_hash(last, chained_fields(row))
        if seqs:
            entry["seq"] = seqs[position]
        values.append(entry)
    connection.execute(insert(LOG), values)
    connection.execute(delete(OUTBOX).where(OUTBOX.c.id.in_([row.id for row in rows])))
    return len(rows)


def _reserve_seqs(connection: Connection, count: int) -> list[int]:
    # The chain's order is seq's order, whatever order a multi-row insert draws its defaults
    # in: the batch takes its numbers first and hands them out in chain order. Under the lock
    # nobody else draws from the sequence. SQLite numbers rows in insert order by itself.
    if connection.dialect.name != "postgresql":
        return []
    query = text(
        "SELECT nextval(pg_get_serial_sequence('audit_log', 'seq')) FROM generate_series(1, :n)"
    )
    return sorted(connection.scalars(query, {"n": count}))


def drain_outbox(engine: Engine, *, limit: int = BATCH) -> int:
    """Chains every entry committed to the outbox, one transaction per batch; returns how many."""
    total = 0
    while True:
        with engine.begin() as connection:
            if connection.scalar(select(OUTBOX.c.id).limit(1)) is None:
                return total
            lock_chain(connection)
            moved = chain_outbox(connection, limit=limit)
        total += moved
        if moved < limit:
            return total


def append_audit(
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
    """Chains an entry now in the caller's transaction, after every entry waiting in the outbox
    (the session's own first); the chain's lock is held until the caller commits. For the rare
    entry whose seq the caller keeps, or whose chain head it records (the archive's)."""
    lock_chain(session)
    session.flush()
    connection = session.connection()
    while chain_outbox(connection) == BATCH:
        pass
    fields = stored_fields(
        actor=actor, role=role, action=action, target=target, court_code=court_code,
        outcome=outcome, request_id=request_id, source_address=source_address, detail=detail,
    )  # fmt: skip
    return chain_entry(session, fields)


def drain_before_reads(engine: Engine) -> None:
    """Makes every read of the audit log on this engine first chain the outbox (PostgreSQL)."""
    if engine.dialect.name == "postgresql":
        event.listen(engine, "before_cursor_execute", _drain_if_reading_the_log)


# Matched on the SQL about to be sent: cheap beside analysing each statement's FROM clause.
READS_THE_LOG = re.compile(r"^\s*(SELECT|WITH)\b.*\b(FROM|JOIN)\s+audit_log\b", re.I | re.S)


def _drain_if_reading_the_log(
    connection: Connection, _cursor: Any, statement: str, *_args: Any
) -> None:
    if "audit_log" not in statement or not READS_THE_LOG.match(statement):
        return
    if holds_chain_lock(connection):
        return  # it chained the outbox on taking the lock (append_audit, a drain)
    # In a transaction of its own, committed before the read: under READ COMMITTED the
    # reader's statement sees the entries chained.
    drain_outbox(connection.engine)


class AuditAppender:
    """Chains the outbox in the background of a process (the API, the worker)."""

    def __init__(self, engine: Engine, *, interval: float = INTERVAL_SECONDS) -> None:
        self.engine = engine
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Starts the thread; on SQLite there is nothing to do (entries are chained at once)."""
        if self.engine.dialect.name != "postgresql" or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="audit-appender", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stops the thread after one last drain; what is left waits for the next appender."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join(timeout=10)
        self._thread = None
        self.run_once()

    def run_once(self) -> int:
        """Drains the outbox once; a failure is logged and the entries wait for the next try."""
        try:
            return drain_outbox(self.engine)
        except SQLAlchemyError as exc:  # the database away: they stay safe in the outbox
            log.warning("audit.appender_failed", error=type(exc).__name__)
            return 0

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.run_once()

    def __enter__(self) -> AuditAppender:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

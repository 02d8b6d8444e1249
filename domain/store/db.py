"""Engine and session factory for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from domain.store.audit_appender import drain_before_reads

# A pooled connection older than this is replaced at checkout: servers, proxies and firewalls
# drop idle connections after some minutes. No pre-ping (one more round trip per checkout): a
# connection that died meanwhile fails its first use, SQLAlchemy then invalidates the pool, and
# the caller's retry (a case system's, a Temporal activity's) gets a fresh one.
POOL_RECYCLE_SECONDS = 300
# At most 30 connections a process, as before, but 20 kept open: with only 10 kept, a burst of
# submissions opened (and closed again) a new connection for most requests.
POOL_SIZE = 20
POOL_OVERFLOW = 10


def make_engine(url: str) -> Engine:
    """Creates an engine; SQLite gets WAL and foreign keys so it behaves like a server, and
    PostgreSQL's reads of the audit log first chain the entries waiting in its outbox."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(
        url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, pool_recycle=POOL_RECYCLE_SECONDS
    )
    drain_before_reads(engine)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Returns a session factory whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)

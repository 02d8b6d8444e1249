"""Rate limits and failure counters in the database: one atomic statement per hit, so every
process (and every concurrent request) sees the same count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import DateTime, Table, case, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from domain.tables.limits import RateCounter

LIFETIME = timedelta(days=3660)  # a window that never slides: the key's whole life


@dataclass(frozen=True)
class Count:
    """A key's hits within its window and over its life, and its lock."""

    hits: int
    total: int
    locked_until: datetime | None


def _insert(session: Session) -> type[postgresql.Insert] | type[sqlite.Insert]:
    dialect = session.get_bind().dialect.name
    return postgresql.Insert if dialect == "postgresql" else sqlite.Insert


def hit(session: Session, key: str, at: datetime, window: timedelta) -> Count:
    """Counts one hit atomically (insert or update, returning the new counts) and commits."""
    table = cast(Table, RateCounter.__table__)
    stamp = literal(at, DateTime(timezone=True))
    stale = table.c.window_start <= literal(at - window, DateTime(timezone=True))
    statement = (
        _insert(session)(table)
        .values(key=key, window_start=at, hits=1, total=1)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "hits": case((stale, 1), else_=table.c.hits + 1),
                "window_start": case((stale, stamp), else_=table.c.window_start),
                "total": table.c.total + 1,
            },
        )
        .returning(table.c.hits, table.c.total, table.c.locked_until)
    )
    hits, total, locked_until = session.execute(statement).one()
    session.commit()
    return Count(int(hits), int(total), locked_until)


def release(session: Session, key: str) -> None:
    """Takes back one hit (an attempt that succeeded or was refused before it was tried)."""
    table = cast(Table, RateCounter.__table__)
    statement = (
        update(table)
        .where(table.c.key == key)
        .values(hits=case((table.c.hits > 0, table.c.hits - 1), else_=0), total=table.c.total - 1)
    )
    session.execute(statement)
    session.commit()


def lock(session: Session, key: str, until: datetime) -> None:
    """Locks a key until a moment (kept if it was locked longer already)."""
    row = session.get(RateCounter, key, with_for_update=True)
    if row is not None and (row.locked_until is None or _aware(row.locked_until) < until):
        row.locked_until = until
    session.commit()


def locked_until(session: Session, key: str, at: datetime) -> datetime | None:
    """Returns when a locked key unlocks, or None when it is not locked at `at`."""
    until = session.scalar(select(RateCounter.locked_until).where(RateCounter.key == key))
    return _aware(until) if until is not None and _aware(until) > at else None


def hits_within(session: Session, key: str, at: datetime, window: timedelta) -> int:
    """Returns a key's hits in its current window (0 when the window has passed)."""
    row = session.get(RateCounter, key)
    if row is None or _aware(row.window_start) <= at - window:
        return 0
    return row.hits


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive times; they were stored in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)

"""The chain verifies, and an edited, removed or re-hashed entry is found by its seq."""

from __future__ import annotations

from sqlalchemy import Engine, delete, update
from sqlalchemy.orm import Session

from domain.store.audit import (
    EDITED,
    UNLINKED,
    chained_fields,
    entry_hash,
    verify_chain,
)
from domain.store.audit_appender import append_audit
from domain.store.db import make_session_factory
from domain.tables.trust import AuditEntry


def append(engine: Engine, count: int) -> list[int]:
    """Appends count entries, one transaction each, and returns their seqs."""
    seqs = []
    with make_session_factory(engine)() as session:
        for number in range(count):
            entry = append_audit(
                session, actor=f"user-{number}", role="clerk", action="test.act",
                target=f"t{number}", court_code="J12", detail={"n": number, "名": "审计"},
            )  # fmt: skip
            session.commit()
            seqs.append(entry.seq)
    return seqs


def check(engine: Engine, batch_size: int = 3) -> tuple[bool, int | None, str | None, int]:
    """Verifies in small batches (several pages) and returns ok, first_broken, reason, entries."""
    with make_session_factory(engine)() as session:
        report = verify_chain(session, batch_size=batch_size)
    return report.ok, report.first_broken, report.reason, report.entries


def test_an_empty_chain_verifies(engine: Engine) -> None:
    assert check(engine) == (True, None, None, 0)


def test_a_chain_of_appends_verifies_across_batches(engine: Engine, db: Session) -> None:
    seqs = append(engine, 10)
    assert check(engine) == (True, None, None, 10)
    with make_session_factory(engine)() as session:
        report = verify_chain(session)
    assert report.head == db.get_one(AuditEntry, seqs[-1]).hash


def test_an_edited_entry_is_found_at_its_seq(engine: Engine, db: Session) -> None:
    seqs = append(engine, 8)
    # SQLite tables made by create_all carry no trigger, as a tamperer with file access would.
    db.execute(update(AuditEntry).where(AuditEntry.seq == seqs[4]).values(outcome="denied"))
    db.commit()
    assert check(engine) == (False, seqs[4], EDITED, 8)


def test_an_edited_detail_is_found(engine: Engine, db: Session) -> None:
    seqs = append(engine, 4)
    db.execute(update(AuditEntry).where(AuditEntry.seq == seqs[1]).values(detail={"n": 99}))
    db.commit()
    assert check(engine)[:2] == (False, seqs[1])


def test_a_deleted_middle_entry_is_found_at_the_next_seq(engine: Engine, db: Session) -> None:
    seqs = append(engine, 7)
    db.execute(delete(AuditEntry).where(AuditEntry.seq == seqs[3]))
    db.commit()
    assert check(engine) == (False, seqs[4], UNLINKED, 6)


def test_a_deleted_first_entry_is_found(engine: Engine, db: Session) -> None:
    seqs = append(engine, 3)
    db.execute(delete(AuditEntry).where(AuditEntry.seq == seqs[0]))
    db.commit()
    assert check(engine)[:2] == (False, seqs[1])


def test_an_entry_edited_and_rehashed_breaks_the_next_link(engine: Engine, db: Session) -> None:
    seqs = append(engine, 5)
    entry = db.get_one(AuditEntry, seqs[2])
    entry.actor = "someone-else"
    entry.hash = entry_hash(entry.prev_hash, chained_fields(entry))
    db.commit()
    assert check(engine) == (False, seqs[3], UNLINKED, 5)


def test_appends_after_a_break_still_report_the_first_break(engine: Engine, db: Session) -> None:
    seqs = append(engine, 3)
    db.execute(update(AuditEntry).where(AuditEntry.seq == seqs[0]).values(action="x"))
    db.commit()
    append(engine, 2)
    assert check(engine)[:2] == (False, seqs[0])

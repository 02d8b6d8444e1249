"""On PostgreSQL with the migrations: the database refuses changes, and appends stay one chain."""

from __future__ import annotations

import threading
from datetime import date

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from domain.store.audit import EDITED, record_audit, verify_chain
from domain.store.audit_appender import append_audit, drain_outbox
from domain.store.db import make_engine, make_session_factory

pytestmark = pytest.mark.integration

THREADS = 8
PER_THREAD = 15


def append(engine: Engine, actor: str, count: int) -> None:
    """Appends count entries, each in its own transaction, and chains them (as an appender)."""
    factory = make_session_factory(engine)
    for number in range(count):
        with factory() as session:
            record_audit(session, actor=actor, role="clerk", action="test.act", target=str(number))
            session.commit()
    drain_outbox(engine)


def entries(engine: Engine) -> int:
    """Counts the entries, verifying the chain on the way."""
    with make_session_factory(engine)() as session:
        report = verify_chain(session)
    assert report.ok, report
    return report.entries


def psql(url: str, *statements: str) -> None:
    """Runs statements as the superuser, outside SQLAlchemy (autocommit)."""
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET outcome = 'denied'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ],
)
def test_the_trigger_refuses_changes_even_to_the_superuser(
    pg_engine: Engine, pg_url: str, statement: str
) -> None:
    append(pg_engine, "clerk-1", 2)
    before = entries(pg_engine)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
        psql(pg_url, statement)
    assert entries(pg_engine) == before >= 2


def test_privileges_are_revoked_from_public_and_the_portal(pg_engine: Engine) -> None:
    with pg_engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT grantee, privilege_type FROM information_schema.role_table_grants "
            "WHERE table_name = 'audit_log' AND grantee IN ('PUBLIC', 'songda_portal')"
        )).all()  # fmt: skip
    assert rows == []


def test_a_row_edited_behind_disabled_triggers_is_found(fresh_pg_url: str) -> None:
    pg_engine = make_engine(fresh_pg_url)
    append(pg_engine, "clerk-1", 5)
    with pg_engine.connect() as connection:
        third = connection.execute(text("SELECT seq FROM audit_log ORDER BY seq")).all()[2][0]
    psql(
        fresh_pg_url,
        "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        f"UPDATE audit_log SET actor = 'someone-else' WHERE seq = {third}",
        "ALTER TABLE audit_log ENABLE TRIGGER ALL",
    )
    with make_session_factory(pg_engine)() as session:
        report = verify_chain(session)
    pg_engine.dispose()
    assert (report.ok, report.first_broken, report.reason) == (False, third, EDITED)


def test_concurrent_appends_keep_one_linear_chain(pg_engine: Engine) -> None:
    before = entries(pg_engine)
    failures: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            append(pg_engine, name, PER_THREAD)
        except (DBAPIError, AssertionError) as exc:  # surfaced below, not lost in the thread
            failures.append(exc)

    threads = [threading.Thread(target=worker, args=(f"t{n}",)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with make_session_factory(pg_engine)() as session:
        report = verify_chain(session, batch_size=17)
    assert report.ok and report.entries == before + THREADS * PER_THREAD


def test_odd_details_and_long_values_are_kept_as_hashed(pg_engine: Engine) -> None:
    with make_session_factory(pg_engine)() as session:
        entry = append_audit(
            session, actor="a" * 150, role="clerk", action="test.odd", target="t" * 300,
            detail={"on": date(2026, 11, 28), 7: "seven", "ratio": 0.1, "名": ["审", 1]},
        )  # fmt: skip
        session.commit()
        assert len(entry.target) == 200 and entry.detail["7"] == "seven"
        assert verify_chain(session).ok

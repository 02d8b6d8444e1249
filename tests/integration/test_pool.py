"""Without pre-ping, connections PostgreSQL killed cost one failed use, and the audit appender
rides it out: its entries wait in the outbox and are chained on its next round."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from domain.store.audit import record_audit, verify_chain
from domain.store.audit_appender import AuditAppender
from domain.store.db import make_engine, make_session_factory
from tests.audit.conftest import migrated_postgres

pytestmark = pytest.mark.integration

POOLED = 4


def terminate_all(url: str) -> int:
    """Ends every other connection to the database, as a failover or a restart would."""
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


def test_killed_connections_cost_one_failed_use_then_the_pool_recovers() -> None:
    with migrated_postgres() as url:
        engine = make_engine(url)
        factory = make_session_factory(engine)
        sessions = [factory() for _ in range(POOLED)]
        for session in sessions:
            session.execute(text("SELECT 1"))  # each holds its own pooled connection
        for session in sessions:
            session.close()
        assert terminate_all(url) >= POOLED
        failures = 0
        for _ in range(2 * POOLED):
            try:
                with factory() as session:
                    session.execute(text("SELECT 1"))
            except OperationalError:
                failures += 1
        engine.dispose()
    # The first use finds its connection dead; SQLAlchemy then invalidates the whole pool, so
    # the other stale connections are replaced at checkout instead of failing too.
    assert failures == 1


def test_the_appender_survives_a_killed_connection() -> None:
    with migrated_postgres() as url:
        engine = make_engine(url)
        appender = AuditAppender(engine)
        assert appender.run_once() == 0  # its connection now sits in the pool
        with make_session_factory(engine)() as session:
            record_audit(session, actor="cs", role="case_system", action="request.submit")
            session.commit()
        terminate_all(url)
        moved = [appender.run_once() for _ in range(2)]
        with make_session_factory(engine)() as session:
            report = verify_chain(session)
        engine.dispose()
    assert sorted(moved) == [0, 1] and report.ok and report.entries == 1

"""On PostgreSQL: entries commit to the outbox and the appender chains them, never forking,
never losing one to a crash, and never hiding one from a reader of the chain."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from api.app import create_app
from domain.settings import Settings
from domain.store.audit import lock_chain, record_audit, verify_chain
from domain.store.audit_appender import AuditAppender, chain_outbox, drain_outbox
from domain.store.db import make_engine, make_session_factory
from tests.api.conftest import auth, make_token

pytestmark = pytest.mark.integration

THREADS = 8
PER_THREAD = 20


def submit(engine: Engine, actor: str, count: int) -> None:
    """Records count entries, each committed with a change of its own, as a submission does."""
    factory = make_session_factory(engine)
    for number in range(count):
        with factory() as session:
            record_audit(session, actor=actor, role="case_system", action="request.submit",
                         target=f"{actor}-{number}", detail={"n": number})  # fmt: skip
            session.commit()


def raw_count(url: str, table: str) -> int:
    """Counts a table's rows outside SQLAlchemy (no read hook chains anything first)."""
    with psycopg.connect(url.replace("+psycopg", "")) as connection:
        row = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


def test_concurrent_submissions_and_appenders_keep_one_chain(fresh_pg_url: str) -> None:
    engine = make_engine(fresh_pg_url)
    failures: list[BaseException] = []

    def submitter(name: str) -> None:
        try:
            submit(engine, name, PER_THREAD)
        except (DBAPIError, AssertionError) as exc:  # surfaced below, not lost in the thread
            failures.append(exc)

    threads = [threading.Thread(target=submitter, args=(f"cs{n}",)) for n in range(THREADS)]
    # Three appenders at once, as with an API, a worker and a reader draining together.
    appenders = [AuditAppender(engine, interval=0.005) for _ in range(3)]
    for appender in appenders:
        appender.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for appender in appenders:
        appender.stop()
    assert failures == []
    assert raw_count(fresh_pg_url, "audit_outbox") == 0
    with make_session_factory(engine)() as session:
        report = verify_chain(session, batch_size=37)
    engine.dispose()
    assert report.ok and report.entries == THREADS * PER_THREAD


KILLED_MID_BATCH = """
import os, signal, sys
from domain.store.audit import lock_chain
from domain.store.audit_appender import chain_outbox
from domain.store.db import make_engine
with make_engine(sys.argv[1]).connect() as connection:
    lock_chain(connection)
    moved = chain_outbox(connection)
    print(moved, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # before the commit, holding the lock
"""


def test_entries_survive_an_appender_killed_mid_batch(fresh_pg_url: str) -> None:
    engine = make_engine(fresh_pg_url)
    submit(engine, "cs", 5)
    assert raw_count(fresh_pg_url, "audit_outbox") == 5
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MID_BATCH, fresh_pg_url],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL and killed.stdout.strip() == "5", killed.stderr
    assert (raw_count(fresh_pg_url, "audit_outbox"), raw_count(fresh_pg_url, "audit_log")) == (5, 0)
    submit(engine, "cs-after", 2)
    assert AuditAppender(engine).run_once() == 7
    with make_session_factory(engine)() as session:
        report = verify_chain(session)
    engine.dispose()
    assert report.ok and report.entries == 7
    assert raw_count(fresh_pg_url, "audit_outbox") == 0


def test_a_reader_waits_for_the_batch_under_way_and_sees_it(fresh_pg_url: str) -> None:
    engine = make_engine(fresh_pg_url)
    submit(engine, "cs", 3)
    with engine.connect() as holder:
        # An appender in the middle of a batch holds the lock; a verify started now waits.
        lock_chain(holder)
        chain_outbox(holder)
        seen: list[int] = []

        def read() -> None:
            with make_session_factory(engine)() as session:
                seen.append(verify_chain(session).entries)

        reader = threading.Thread(target=read)
        reader.start()
        time.sleep(0.5)
        assert seen == []
        holder.commit()
    reader.join(10)
    assert seen == [3]
    assert drain_outbox(engine) == 0
    engine.dispose()


def test_the_audit_api_sees_every_committed_entry(fresh_pg_url: str, tmp_path: Path) -> None:
    engine = make_engine(fresh_pg_url)
    with make_session_factory(engine)() as session:
        headers = auth(make_token(session, "auditor-1", "auditor", court=None))
    submit(engine, "cs", 4)
    # Committed, and no appender has run yet: they wait in the outbox.
    assert raw_count(fresh_pg_url, "audit_outbox") >= 4
    settings = Settings(
        SONGDA_STATE_DIR=tmp_path / "state",
        DATABASE_URL=fresh_pg_url,
        TEMPORAL_ADDRESS="127.0.0.1:1",
    )
    with TestClient(create_app(settings)) as client:
        found = client.get("/v1/audit", params={"action": "request.submit"}, headers=headers)
        verified = client.get("/v1/audit/verify", headers=headers).json()
    engine.dispose()
    assert sorted(item["target"] for item in found.json()["items"]) == [f"cs-{n}" for n in range(4)]
    assert verified["ok"] is True and verified["entries"] >= 5  # the search's own entry too

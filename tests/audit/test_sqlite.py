"""On a migrated SQLite state folder: triggers refuse changes, and appends stay one chain."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from domain.store.audit import verify_chain
from domain.store.db import make_engine, make_session_factory
from tests.audit.test_chain import append
from tests.integration.test_migrations import alembic_config


@pytest.fixture
def migrated(tmp_path: Path) -> Iterator[Engine]:
    """A SQLite database built by the migrations (with their triggers)."""
    url = f"sqlite:///{tmp_path / 'songda.db'}"
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET outcome = 'denied'", "DELETE FROM audit_log"]
)
def test_the_triggers_refuse_changes(migrated: Engine, statement: str) -> None:
    append(migrated, 2)
    with pytest.raises(DBAPIError, match="append-only"), migrated.begin() as connection:
        connection.execute(text(statement))
    with make_session_factory(migrated)() as session:
        assert verify_chain(session).entries == 2


def test_concurrent_appends_keep_one_linear_chain(migrated: Engine) -> None:
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            append(migrated, 10)
        except DBAPIError as exc:  # surfaced below, not lost in the thread
            failures.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with make_session_factory(migrated)() as session:
        report = verify_chain(session)
    assert report.ok and report.entries == 40

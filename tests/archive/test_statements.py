"""The statements one archive build sends to PostgreSQL, counted on a real database.

Issue 16: the archive read its rows lazily, one statement per table and party and some twice
(30 statements for one party). Each table of the tasks' rows is now read once for all parties;
the figures are pinned so a lazy load or a read added per party fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from activities.archive import ArchiveActivities
from bench.archive import seed
from domain.crypto.sealed_types import install_ring
from domain.pure.archive_io import ArchiveInput
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.store.documents import DocumentStore
from tests.archive.conftest import _seed
from tests.databases import fresh_database
from tests.integration.test_migrations import alembic_config

# One served electronic party: the archive row and the facts (request and court, documents,
# tasks and parties, events, evidence, attempts, work orders, calendar and notices), the chain
# head (with the outbox drained before it), the archive's INSERT, its audit entry under the
# chain's lock and the notes on the tasks (one read, one INSERT). Before issue 16: 30.
ONE_PARTY = 21
# The two-party request of the other archive tests (a bailiff's order with a photo): the same
# statements, each table read once for both parties. Before issue 16: 44.
TWO_PARTIES = 21


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[Settings, Engine, sessionmaker[Session]]]:
    """A migrated PostgreSQL database, as `make run` leaves it."""
    with fresh_database("postgresql") as url:
        settings = Settings(SONGDA_STATE_DIR=tmp_path / "state", DATABASE_URL=url)
        install_ring(settings.key_ring)
        command.upgrade(alembic_config(settings.effective_database_url), "head")
        engine = make_engine(settings.effective_database_url)
        yield settings, engine, make_session_factory(engine)
        engine.dispose()


def _counted(engine: Engine, build: Any) -> list[str]:
    sent: list[str] = []

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        sent.append(sql)

    event.listen(engine, "before_cursor_execute", statement)
    try:
        build()
    finally:
        event.remove(engine, "before_cursor_execute", statement)
    return sent


def test_one_partys_archive_sends_a_fixed_number_of_statements(
    database: tuple[Settings, Engine, sessionmaker[Session]],
) -> None:
    settings, engine, sessions = database
    store = DocumentStore(settings.document_dir)
    with sessions() as session:
        first, counted = seed(session, store, 2)
    activities = ArchiveActivities(sessions, store, settings)
    activities.build_archive(ArchiveInput(first, "sr-1"))  # creates the court's seal key
    sent = _counted(engine, lambda: activities.build_archive(ArchiveInput(counted, "sr-2")))
    assert len(sent) == ONE_PARTY, "\n".join(s.split("\n", 1)[0] for s in sent)
    # Filed already: one read, and the store's answer.
    again = _counted(engine, lambda: activities.build_archive(ArchiveInput(counted, "sr-2")))
    assert len(again) == 1


def test_a_second_party_adds_no_statement(
    database: tuple[Settings, Engine, sessionmaker[Session]],
) -> None:
    settings, engine, sessions = database
    store = DocumentStore(settings.document_dir)
    with sessions() as session:
        request_id = _seed(session, store)
    activities = ArchiveActivities(sessions, store, settings)
    activities.seals.ensure("J12")  # the key made beforehand, as in the one-party count
    sent = _counted(engine, lambda: activities.build_archive(ArchiveInput(request_id, "sr-r1")))
    assert len(sent) == TWO_PARTIES, "\n".join(s.split("\n", 1)[0] for s in sent)

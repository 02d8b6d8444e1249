"""Alembic's head builds exactly the schema of domain.tables.core, on PostgreSQL and on SQLite."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from domain.store.db import make_engine
from domain.tables.core import Base

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def alembic_config(url: str) -> Config:
    """Returns the repository's Alembic config pointed at url."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["skip_logging"] = True
    return config


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """Creates a fresh PostgreSQL database and drops it afterwards."""
    name = f"songda_mig_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """Returns a SQLite file in a state folder that does not exist yet."""
    return f"sqlite:///{tmp_path / 'state' / 'songda.db'}"


def schema_differences(url: str) -> list[object]:
    """Returns what autogenerate would still change between the database and the models."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    """Returns the tables present in the database."""
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["postgres_url", "sqlite_url"])
def test_upgrade_head_matches_models(backend: str, request: pytest.FixtureRequest) -> None:
    url: str = request.getfixturevalue(backend)
    command.upgrade(alembic_config(url), "head")
    assert set(Base.metadata.tables) <= table_names(url)
    assert schema_differences(url) == []


@pytest.mark.parametrize("backend", ["postgres_url", "sqlite_url"])
def test_downgrade_base_then_upgrade_again(backend: str, request: pytest.FixtureRequest) -> None:
    url: str = request.getfixturevalue(backend)
    config = alembic_config(url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    assert table_names(url) == {"alembic_version"}
    command.upgrade(config, "head")
    assert schema_differences(url) == []


SEED = [
    "INSERT INTO courts (code, name) VALUES ('J12', '天津市河西区人民法院')",
    "INSERT INTO users (id, name, role, created_at) VALUES ('u1', 'cs', 'case_system', "
    "'2026-11-28 00:00:00')",
    "INSERT INTO service_requests (id, client_id, external_id, court_code, case_number, cause, "
    "procedure, handler, clock, status, workflow_started, created_at) VALUES ('r1', 'u1', 'x', "
    "'J12', '（2026）津0103民初1号', '', 'ordinary', '', '{}', 'in_progress', true, "
    "'2026-11-28 00:00:00')",
    "INSERT INTO parties (id, request_id, position, ref, name, kind, role, phones, emails, "
    'addresses, repaired_phones, consent_electronic, address_confirmed, "foreign") VALUES '
    "('p1', 'r1', 0, 'P1', '张三', 'person', 'defendant', '[]', '[]', '[]', '[]', false, false, "
    "false)",
    "INSERT INTO service_tasks (id, request_id, party_id, position, party_ref, workflow_id, "
    "status, attempts, updated_at) VALUES ('t1', 'r1', 'p1', 0, 'P1', 'svc-r1-P1', 'serving', 0, "
    "'2026-11-28 00:00:00')",
]


@pytest.mark.parametrize("backend", ["postgres_url", "sqlite_url"])
def test_upgrades_keep_rows_that_other_tables_refer_to(
    backend: str, request: pytest.FixtureRequest
) -> None:
    """A state folder from an earlier version migrates with its data (SQLite copies tables)."""
    url: str = request.getfixturevalue(backend)
    config = alembic_config(url)
    command.upgrade(config, "0002")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            for statement in SEED:
                connection.exec_driver_sql(statement)
        command.upgrade(config, "head")
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT id, learned FROM parties").all()
            tasks = connection.exec_driver_sql("SELECT party_id FROM service_tasks").all()
    finally:
        engine.dispose()
    assert [row[0] for row in rows] == ["p1"] and tasks == [("p1",)]
    assert schema_differences(url) == []

"""Alembic's head builds exactly the schema of domain.models, on PostgreSQL and on SQLite."""

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

from domain.db import make_engine
from domain.models import Base

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

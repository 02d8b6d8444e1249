"""Fixtures for audit tests: the API's SQLite fixtures, and a fresh migrated PostgreSQL database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from alembic import command
from sqlalchemy import Engine

from domain.store.db import make_engine
from tests.api.conftest import client, db, engine, settings
from tests.integration.test_migrations import PG_ADMIN, alembic_config

__all__ = ["client", "db", "engine", "settings"]


@contextmanager
def migrated_postgres() -> Iterator[str]:
    """Creates a PostgreSQL database with every migration applied, and drops it afterwards."""
    name = f"songda_audit_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        command.upgrade(alembic_config(url), "head")
        yield url
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    """A migrated PostgreSQL database shared by a module's tests that keep the chain sound."""
    with migrated_postgres() as url:
        yield url


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    """An engine on the module's migrated PostgreSQL database."""
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture
def fresh_pg_url() -> Iterator[str]:
    """A migrated PostgreSQL database of its own, for a test that breaks the chain."""
    with migrated_postgres() as url:
        yield url

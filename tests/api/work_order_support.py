"""Work-order API tests on both backends: a fresh PostgreSQL database where the test asks."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from domain.settings import Settings

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def backend_settings(backend: str, tmp_path: Path) -> Iterator[Settings]:
    """Yields API test settings on SQLite, or on a PostgreSQL database dropped afterwards."""
    name = f"songda_wo_{uuid.uuid4().hex[:10]}"
    if backend == "postgresql":
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'songda.db'}"
    try:
        yield Settings(
            SONGDA_STATE_DIR=tmp_path / "state",
            DATABASE_URL=url,
            TEMPORAL_ADDRESS="127.0.0.1:1",
            SONGDA_ALLOW_ACCELERATED_CLOCK=True,
        )
    finally:
        if backend == "postgresql":
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

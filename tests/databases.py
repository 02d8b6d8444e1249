"""Fresh databases for tests and benchmarks: a SQLite file, or a PostgreSQL one dropped after."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

PG_ADMIN = os.environ.get("SONGDA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def fresh_database(backend: str, tmp_path: Path | None = None) -> Iterator[str]:
    """Yields the SQLAlchemy URL of a fresh SQLite file or PostgreSQL database."""
    if backend == "sqlite":
        assert tmp_path is not None, "a SQLite database needs a folder"
        yield f"sqlite:///{tmp_path / 'songda.db'}"
        return
    name = f"songda_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

"""Fixtures of the ops tests: a fresh database on SQLite or PostgreSQL, and the app over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from domain.settings import Settings
from tests.api.conftest import auth, client, db, engine, make_token  # noqa: F401
from tests.databases import fresh_database
from tests.ops.seed import seed


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database on each backend, dropped afterwards."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Settings on that database, with Temporal where nothing listens."""
    return Settings(
        SONGDA_STATE_DIR=tmp_path / "state",
        DATABASE_URL=database_url,
        TEMPORAL_ADDRESS="127.0.0.1:1",
    )


@pytest.fixture
def tasks(db: Session) -> dict[str, str]:  # noqa: F811 (the fixture imported above)
    """The known set of requests, seeded."""
    return seed(db)


def headers_for(session: Session, name: str, role: str, court: str | None = None) -> dict[str, str]:
    """Creates a user and returns its Authorization header."""
    return auth(make_token(session, name, role, court))

"""Fixtures for authentication tests: a fresh SQLite database, the app, users and tokens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from api.accounts import create_user, issue_token
from api.app import create_app
from domain.db import make_engine, make_session_factory
from domain.models import Base
from domain.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a fresh state folder, with Temporal at an address where nothing listens."""
    return Settings(
        SONGDA_STATE_DIR=tmp_path / "state",
        DATABASE_URL=f"sqlite:///{tmp_path / 'songda.db'}",
        TEMPORAL_ADDRESS="127.0.0.1:1",
        SONGDA_ALLOW_ACCELERATED_CLOCK=True,
    )


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """The test database with every table created."""
    engine = make_engine(settings.effective_database_url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session for arranging and checking rows."""
    with make_session_factory(engine)() as session:
        yield session


@pytest.fixture
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """The API over the test database, its lifespan running."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def make_user(session: Session, name: str, role: str, court: str | None = "J12") -> str:
    """Creates a user and returns a bearer token for it."""
    user = create_user(session=session, name=name, role=role, court_code=court)
    return issue_token(session=session, user=user)


def auth(token: str) -> dict[str, str]:
    """Returns the Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}

"""Fixtures for authentication tests: a fresh SQLite database, the app, users and tokens."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.settings import Settings
from tests.api.conftest import auth, client, db, engine, make_token  # noqa: F401


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a fresh state folder, with Temporal at an address where nothing listens."""
    return Settings(
        SONGDA_STATE_DIR=tmp_path / "state",
        DATABASE_URL=f"sqlite:///{tmp_path / 'songda.db'}",
        TEMPORAL_ADDRESS="127.0.0.1:1",
        SONGDA_ALLOW_ACCELERATED_CLOCK=True,
    )


# The database, the app and tokens are made as in the API tests.
make_user = make_token

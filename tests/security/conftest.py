"""The security tests reuse the API's fixtures: a fresh database, the app, users and tokens."""

from __future__ import annotations

from tests.api.conftest import case_system, client, db, engine, settings

__all__ = ["case_system", "client", "db", "engine", "settings"]

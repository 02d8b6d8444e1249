"""Fixtures reused, not copied: the workflow runner of tests/workflows, the API's of tests/api."""

from __future__ import annotations

from tests.api.conftest import client, db, engine, settings
from tests.workflows.conftest import env, ladder

__all__ = ["client", "db", "engine", "env", "ladder", "settings"]

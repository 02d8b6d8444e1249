"""The fuzzed apps on a fresh PostgreSQL database, seeded through the API like a user would."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.tables.core import Base, ServiceRequest, ServiceTask
from launcher import Stack
from tests.api.conftest import valid_body
from tests.databases import fresh_database
from tests.e2e.support import free_port
from tests.fuzz.support import Seeds, seed_users

# A bounded run for `make test`; raise it by hand for a long hunt (SONGDA_FUZZ_EXAMPLES=200).
MAX_EXAMPLES = int(os.environ.get("SONGDA_FUZZ_EXAMPLES", "4"))
PHASES = os.environ.get("SONGDA_FUZZ_PHASES", "examples,fuzzing").split(",")


@pytest.fixture(scope="module")
def fuzz_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings on a fresh PostgreSQL database and a real Temporal dev server (no worker)."""
    with fresh_database("postgresql") as url:
        settings = Settings(
            SONGDA_STATE_DIR=tmp_path_factory.mktemp("fuzz-state"),
            DATABASE_URL=url,
            SONGDA_TEMPORAL_PORT=free_port(),
            SONGDA_ALLOW_ACCELERATED_CLOCK=True,
            SONGDA_TASK_QUEUE="songda-fuzz",
        )
        temporal = Stack(settings, headless=True, children=())
        try:
            temporal.start_temporal(timeout=90)
            yield settings
        finally:
            temporal.stop()


@pytest.fixture(scope="module")
def fuzz_engine(fuzz_settings: Settings) -> Iterator[Engine]:
    """The database with every table."""
    engine = make_engine(fuzz_settings.effective_database_url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def seeds(fuzz_settings: Settings, fuzz_engine: Engine) -> Iterator[Seeds]:
    """A token per role and one real request, submitted through the API."""
    with make_session_factory(fuzz_engine)() as session:
        tokens = seed_users(session)
    with TestClient(create_app(fuzz_settings)) as client:
        headers = {"Authorization": f"Bearer {tokens['case_system']}"}
        answer = client.post("/v1/service-requests", json=valid_body(), headers=headers)
        assert answer.status_code == 201, answer.text
    with make_session_factory(fuzz_engine)() as session:
        ids = {
            "request_id": [r.id for r in session.query(ServiceRequest)],
            "task_id": [t.id for t in session.query(ServiceTask)],
            "name": [f"fuzz-{role}" for role in tokens],
        }
    yield Seeds(tokens=tokens, ids=ids)


@pytest.fixture(scope="module")
def api_app(fuzz_settings: Settings, seeds: Seeds) -> Any:
    """The intranet API as schemathesis reaches it (in process, its lifespan started once)."""
    return create_app(fuzz_settings)

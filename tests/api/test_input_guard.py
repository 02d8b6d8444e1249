"""Found by the fuzz run: NUL characters reached PostgreSQL and failed as 500; now 422."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.app import create_app
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.tables.core import Base, Party, ServiceRequest
from tests.api.conftest import auth, count, make_token, valid_body
from tests.databases import fresh_database


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[tuple[TestClient, Session]]:
    """The API on a fresh PostgreSQL database (SQLite stores NUL; PostgreSQL refuses it)."""
    with fresh_database("postgresql") as url:
        settings = Settings(
            SONGDA_STATE_DIR=tmp_path, DATABASE_URL=url, TEMPORAL_ADDRESS="127.0.0.1:1",
            SONGDA_ALLOW_ACCELERATED_CLOCK=True,
        )  # fmt: skip
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        with make_session_factory(engine)() as db, TestClient(create_app(settings)) as client:
            yield client, db
        engine.dispose()


def test_a_nul_in_a_query_parameter_is_422(pg: tuple[TestClient, Session]) -> None:
    client, db = pg
    headers = auth(make_token(db, "sup", "supervisor"))
    # The fuzz run's case: GET /v1/stats/export?channel=ñ;£%00...
    answer = client.get(
        "/v1/stats/export?from=2026-01-01&format=csv&channel=a%00b", headers=headers
    )
    assert answer.status_code == 422
    assert "NUL" in answer.json()["detail"]
    assert client.get("/v1/service-requests/r%00", headers=headers).status_code == 422


def test_a_nul_in_a_body_is_422_with_nothing_stored(pg: tuple[TestClient, Session]) -> None:
    client, db = pg
    headers = auth(make_token(db, "case-system", "case_system"))
    body = {**valid_body(), "external_id": "HX-\u0000-1"}
    answer = client.post("/v1/service-requests", json=body, headers=headers)
    assert answer.status_code == 422
    assert (count(db, ServiceRequest), count(db, Party)) == (0, 0)

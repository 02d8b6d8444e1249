"""On PostgreSQL the portal's role reads publications and adds receipts, and nothing else."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic import command
from fastapi.testclient import TestClient
from psycopg.errors import InsufficientPrivilege

from api.portal.app import create_portal_app
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.store.documents import DocumentStore
from tests.integration.test_migrations import PG_ADMIN, alembic_config
from tests.portal.support import kinds, publish_attempt

pytestmark = pytest.mark.integration


@pytest.fixture
def migrated(tmp_path: Path) -> Iterator[Settings]:
    """Settings on a freshly migrated PostgreSQL database, dropped afterwards."""
    name = f"songda_portal_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        command.upgrade(alembic_config(url), "head")
        yield Settings(SONGDA_STATE_DIR=tmp_path / "state", DATABASE_URL=url)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def as_portal(settings: Settings) -> psycopg.Connection[tuple[object, ...]]:
    """Connects with the portal's own role."""
    url = settings.effective_portal_database_url.replace("postgresql+psycopg", "postgresql")
    assert "songda_portal@" in url
    return psycopg.connect(url, autocommit=True)


def test_portal_role_reads_publications_and_inserts_receipts_only(migrated: Settings) -> None:
    engine = make_engine(migrated.effective_database_url)
    with make_session_factory(engine)() as session:
        published = publish_attempt(session, migrated, DocumentStore(migrated.document_dir))
    engine.dispose()
    with as_portal(migrated) as conn:
        rows = conn.execute("SELECT id, reference FROM portal_publications").fetchall()
        assert rows == [(published.publication_id, published.reference)]
        conn.execute(
            "INSERT INTO portal_receipts (id, publication_id, kind, at, detail) "
            "VALUES (%s, %s, 'opened', now(), '{}')",
            (uuid.uuid4().hex, published.publication_id),
        )
        assert conn.execute("SELECT count(*) FROM portal_receipts").fetchone() == (1,)
        refused = (
            "SELECT * FROM service_requests",
            "SELECT * FROM parties",
            "SELECT * FROM attempts",
            "UPDATE portal_receipts SET forwarded_at = now()",
            "DELETE FROM portal_receipts",
            "UPDATE portal_publications SET expires_at = now()",
            "INSERT INTO portal_publications (id) VALUES ('x')",
        )
        for statement in refused:
            with pytest.raises(InsufficientPrivilege):
                conn.execute(statement)


def test_portal_app_runs_on_its_own_role(migrated: Settings) -> None:
    engine = make_engine(migrated.effective_database_url)
    session = make_session_factory(engine)()
    published = publish_attempt(session, migrated, DocumentStore(migrated.document_dir))
    with TestClient(create_portal_app(migrated)) as portal:
        assert portal.get("/healthz").json() == {"ok": True}
        assert portal.get(f"/s/{published.token}").status_code == 200
    assert kinds(session, published.publication_id) == ["opened"]
    session.close()
    engine.dispose()

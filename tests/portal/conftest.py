"""Fixtures of the portal tests: a SQLite file, the portal app, and the real sandbox as gateway."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from api.portal.app import create_portal_app
from domain.settings import Settings
from domain.store.documents import DocumentStore
from sandbox.app import create_app as create_sandbox_app
from tests.api.conftest import db, engine  # noqa: F401 (same database fixtures)
from tests.portal.support import Published, publish_attempt
from tests.sandbox.support import Receiver, ServerThread, free_port

CLIENT_ADDRESS = "203.0.113.7"


def portal_settings(tmp_path: Path, sandbox_url: str = "http://127.0.0.1:1") -> Settings:
    """Returns settings on a fresh SQLite file, with codes sent to sandbox_url."""
    return Settings(
        SONGDA_STATE_DIR=tmp_path / "state",
        DATABASE_URL=f"sqlite:///{tmp_path / 'songda.db'}",
        SONGDA_PORTAL_SECRET="portal-test-secret",
        SONGDA_SANDBOX_URL=sandbox_url,
        TEMPORAL_ADDRESS="127.0.0.1:1",
    )


@pytest.fixture(scope="session")
def gateway_url() -> Iterator[str]:
    """The real sandbox, standing in for the SMS gateway and e-mail; its receipts go nowhere."""
    receiver = Receiver()
    receiver.port = free_port()
    api = ServerThread(receiver.app(), receiver.port).start()
    settings = Settings(
        SONGDA_API_URL=f"http://127.0.0.1:{receiver.port}", SONGDA_SMTP_PORT=free_port()
    )
    sandbox = ServerThread(create_sandbox_app(settings), free_port()).start()
    yield sandbox.url
    sandbox.stop()
    api.stop()


@pytest.fixture
def settings(tmp_path: Path, gateway_url: str) -> Settings:
    """Settings on a fresh state folder whose codes go to the sandbox."""
    return portal_settings(tmp_path, gateway_url)


@pytest.fixture
def store(settings: Settings) -> DocumentStore:
    """The document store of the state folder."""
    return DocumentStore(settings.document_dir)


@pytest.fixture
def published(db: Session, settings: Settings, store: DocumentStore) -> Published:  # noqa: F811
    """A person's SMS attempt published to the portal."""
    return publish_attempt(db, settings, store)


@pytest.fixture
def portal(settings: Settings, engine: Engine) -> Iterator[TestClient]:  # noqa: F811
    """The portal, its lifespan running, seen from one client address; redirects not followed."""
    app = create_portal_app(settings)
    client = (CLIENT_ADDRESS, 50000)
    with TestClient(app, client=client, follow_redirects=False) as test_client:
        test_client.headers["User-Agent"] = "PortalTest/1.0 (Android)"
        yield test_client

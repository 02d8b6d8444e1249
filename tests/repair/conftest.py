"""Fixtures of the repair tests: the real sandbox in a thread and a fresh SQLite database."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from domain.crypto.keyring import KeyRing
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.tables.core import Base
from sandbox.app import create_app
from tests.sandbox.support import ServerThread, free_port


@pytest.fixture(scope="module")
def operators_url() -> Iterator[str]:
    """A real sandbox whose receipts go nowhere: only its operators and records matter."""
    settings = Settings(
        SONGDA_API_URL=f"http://127.0.0.1:{free_port()}",
        SONGDA_SMTP_PORT=free_port(),
        SONGDA_SMPP_PORT=free_port(),
    )
    server = ServerThread(create_app(settings), free_port()).start()
    yield server.url
    server.stop()


@pytest.fixture
def http(operators_url: str) -> Iterator[httpx.Client]:
    """A client of the freshly reset sandbox (every operator back to ok)."""
    with httpx.Client(base_url=operators_url, timeout=10) as client:
        client.post("/sandbox/reset").raise_for_status()
        yield client


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """A session factory on a fresh SQLite file with every table."""
    engine = make_engine(f"sqlite:///{tmp_path / 'repair.db'}")
    Base.metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def ring() -> KeyRing:
    """A key ring of one test data key."""
    return KeyRing.from_spec(f"t1:{base64.b64encode(bytes(range(32))).decode()}", "test-index")

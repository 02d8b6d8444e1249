"""Fixtures for API tests: a fresh SQLite database, the app, users and their tokens."""

from __future__ import annotations

import base64
import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from api.access.accounts import create_user, issue_token
from api.app import create_app
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.tables.core import Base

PDF = b"%PDF-1.4 summons"

VALID_BODY: dict[str, Any] = {
    "external_id": "HX-2026-000123",
    "court": {"code": "J12", "name": "天津市河西区人民法院"},
    "case": {
        "number": "(2026)津0103民初1234号",
        "cause": "民间借贷纠纷",
        "procedure": "simplified",
        "handler": "judge-zhang",
    },
    "documents": [
        {
            "kind": "summons",
            "title": "传票",
            "media_type": "application/pdf",
            "content_base64": base64.b64encode(PDF).decode(),
        }
    ],
    "parties": [
        {
            "ref": "P1",
            "name": "张三",
            "kind": "person",
            "role": "defendant",
            "id_number": "11010119950612101x",
            "phones": ["+86 138-0000-0002"],
            "emails": [],
            "addresses": [{"text": "天津市河西区友谊路1号", "postcode": "300000"}],
            "consent_electronic": True,
            "address_confirmed": False,
        },
        {
            "ref": "P2",
            "name": "某某有限公司",
            "kind": "organization",
            "role": "defendant",
            "credit_code": "91110105MA01ABCD5F",
            "phones": [],
            "addresses": [{"text": "天津市河西区解放南路2号"}],
        },
    ],
    "callback_url": "http://127.0.0.1:9000/hooks/songda",
    "plan": {"clock": {"mode": "accelerated", "seconds_per_day": 2}},
}


def valid_body() -> dict[str, Any]:
    """Returns a fresh copy of a valid submission."""
    return copy.deepcopy(VALID_BODY)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a fresh state folder, with Temporal at an address where nothing listens."""
    return Settings(
        SONGDA_STATE_DIR=tmp_path / "state",
        DATABASE_URL=f"sqlite:///{tmp_path / 'songda.db'}",
        TEMPORAL_ADDRESS="127.0.0.1:1",
        SONGDA_ALLOW_ACCELERATED_CLOCK=True,
        SONGDA_MAX_DOCUMENT_BYTES=1024,
        SONGDA_PROVIDER_SECRETS="sandbox-sms=test-secret,sandbox-post=test-post-secret",
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
    """The API, its lifespan running."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def make_token(session: Session, name: str, role: str, court: str | None = "J12") -> str:
    """Creates a user and returns a bearer token for it."""
    user = create_user(session=session, name=name, role=role, court_code=court)
    return issue_token(session=session, user=user)


def auth(token: str) -> dict[str, str]:
    """Returns the Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def case_system(db: Session) -> dict[str, str]:
    """Headers of a case-handling system of court J12."""
    return auth(make_token(db, "case-system", "case_system"))


def count(session: Session, model: type[Base]) -> int:
    """Counts the rows of a table."""
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


def stored_files(settings: Settings) -> list[Path]:
    """Lists the files in the document store."""
    root = settings.document_dir
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []

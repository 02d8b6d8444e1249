"""Fixtures for console tests: the API app over SQLite, users with passwords, logged-in clients."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.access.accounts import create_user, ensure_court
from api.app import create_app
from domain.settings import Settings
from tests.api.conftest import db, engine, settings  # noqa: F401  (shared fixtures)

PASSWORD = "correct horse 9"
_CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app_client(settings: Settings, engine: object) -> Iterator[TestClient]:  # noqa: F811
    """The API with its console, lifespan running; no redirects followed."""
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


@pytest.fixture
def users(db: Session) -> dict[str, str]:  # noqa: F811
    """A judge, a clerk, a supervisor and an auditor of court J12, all with PASSWORD."""
    ensure_court(session=db, code="J12", name="天津市河西区人民法院")
    names = {"judge": "judge-zhang", "clerk": "clerk-li", "supervisor": "boss-wang"}
    for role, name in names.items():
        create_user(session=db, name=name, role=role, court_code="J12", password=PASSWORD)
    return names


def csrf_of(html: str) -> str:
    """Returns the CSRF token a console page carries."""
    found = _CSRF_RE.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Logs in and returns the session's CSRF token (from the landing page)."""
    answer = client.post("/console/login", data={"name": name, "password": password})
    assert answer.status_code == 303, answer.text
    page = client.get(answer.headers["location"], follow_redirects=True)
    return csrf_of(page.text)


@pytest.fixture
def make_client(settings: Settings, engine: object) -> Iterator[Callable[[], TestClient]]:  # noqa: F811
    """Makes extra clients (separate cookie jars) on the same app."""
    app = create_app(settings)
    made: list[TestClient] = []

    def make() -> TestClient:
        client = TestClient(app, follow_redirects=False)
        client.__enter__()
        made.append(client)
        return client

    yield make
    for client in made:
        client.__exit__(None, None, None)

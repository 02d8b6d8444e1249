"""The codec endpoint: the local Temporal UI in development, console sessions elsewhere."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.accounts import create_user
from api.app import create_app
from domain.settings import Settings
from domain.tables.trust import AuditEntry
from tests.personal_data.test_payload_codec import sealed_wire

PASSWORD = "correct horse battery"


def _local(settings: Settings) -> TestClient:
    return TestClient(create_app(settings), client=("127.0.0.1", 50000))


async def test_the_local_ui_decodes_without_a_token_in_development(
    settings: Settings, db: Session
) -> None:
    settings = settings.model_copy(update={"environment": "development"})
    body = {"payloads": [await sealed_wire(settings)]}
    with _local(settings) as local:
        ui = {"Origin": "http://127.0.0.1:8233"}
        assert local.post("/codec/decode", json=body, headers=ui).status_code == 200
        far = {"Origin": "http://evil.example"}
        assert local.post("/codec/decode", json=body, headers=far).status_code == 401
    actors = db.scalars(select(AuditEntry.actor).where(AuditEntry.action.like("temporal.%")))
    assert list(actors) == ["temporal-ui-local"]


async def test_outside_development_the_local_ui_needs_a_login(settings: Settings) -> None:
    settings = settings.model_copy(update={"environment": "production"})
    body = {"payloads": [await sealed_wire(settings)]}
    with _local(settings) as local:
        assert local.post("/codec/decode", json=body).status_code == 401


async def test_a_console_session_of_a_reader_decodes_with_its_cookie(
    settings: Settings, db: Session
) -> None:
    create_user(session=db, name="ops-1", role="ops", password=PASSWORD)
    create_user(session=db, name="clerk-1", role="clerk", court_code=None, password=PASSWORD)
    body = {"payloads": [await sealed_wire(settings)]}
    with TestClient(create_app(settings), follow_redirects=False) as browser:
        login = {"name": "ops-1", "password": PASSWORD}
        assert browser.post("/console/login", data=login).status_code == 303
        assert browser.post("/codec/decode", json=body).status_code == 200
    with TestClient(create_app(settings), follow_redirects=False) as browser:
        login = {"name": "clerk-1", "password": PASSWORD}
        assert browser.post("/console/login", data=login).status_code == 303
        assert browser.post("/codec/decode", json=body).status_code == 403

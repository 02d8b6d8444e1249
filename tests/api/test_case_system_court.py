"""Issue 13 (11): a case system submits only under its own court's code; one without a court
cannot submit at all, and the system administrator cannot create one."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from domain.tables.core import ServiceRequest
from tests.api.conftest import auth, count, make_token, valid_body


def test_a_case_system_cannot_submit_for_another_court(
    client: TestClient, case_system: dict[str, str], db: Session
) -> None:
    body = valid_body()
    body["court"] = {"code": "K01", "name": "另一法院"}
    answer = client.post("/v1/service-requests", json=body, headers=case_system)
    assert answer.status_code == 403
    assert count(db, ServiceRequest) == 0


def test_a_case_system_without_a_court_cannot_submit(client: TestClient, db: Session) -> None:
    unbound = auth(make_token(db, "unbound-system", "case_system", court=None))
    answer = client.post("/v1/service-requests", json=valid_body(), headers=unbound)
    assert answer.status_code == 403
    assert "court" in answer.json()["detail"]
    assert count(db, ServiceRequest) == 0


def test_no_case_system_is_created_without_a_court(client: TestClient, db: Session) -> None:
    admin = auth(make_token(db, "root-sys", "sysadmin", court=None))
    body = {"name": "floating-system", "role": "case_system", "password": "a long enough secret"}
    answer = client.post("/v1/users", json=body, headers=admin)
    assert answer.status_code == 422
    assert "court" in answer.text

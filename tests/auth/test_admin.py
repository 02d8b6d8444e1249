"""Three-role separation: the system administrator's users, the security administrator's rules."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.accounts import authenticate
from domain.tables.core import User
from domain.tables.trust import AuditEntry
from tests.auth.conftest import auth, make_user

PASSWORD = "a long enough secret"


@pytest.fixture
def sysadmin(db: Session) -> dict[str, str]:
    """Headers of the system administrator of court J12."""
    return auth(make_user(db, "sys", "sysadmin"))


@pytest.fixture
def secadmin(db: Session) -> dict[str, str]:
    """Headers of the security administrator."""
    return auth(make_user(db, "sec", "secadmin", court=None))


def _user(**fields: Any) -> dict[str, Any]:
    return {"name": "clerk-wang", "role": "clerk", "password": PASSWORD, **fields}


def test_sysadmin_adds_a_user_of_its_court(
    client: TestClient, db: Session, sysadmin: dict[str, str]
) -> None:
    body = _user(phone="13800000002", oidc_subject="idp|wang")
    answer = client.post("/v1/users", json=body, headers=sysadmin)
    assert answer.status_code == 201, answer.text
    out = answer.json()
    assert (out["role"], out["court"], out["phone"]) == ("clerk", "J12", "138****0002")
    assert PASSWORD not in answer.text and "13800000002" not in answer.text
    assert authenticate(session=db, name="clerk-wang", password=PASSWORD, source=None)
    query = select(AuditEntry).where(AuditEntry.action == "user.add", AuditEntry.actor == "sys")
    entry = db.scalars(query).one()
    assert entry.target == "user:clerk-wang"
    listed = client.get("/v1/users", headers=sysadmin).json()["items"]
    assert [item["name"] for item in listed] == ["clerk-wang", "sys"]


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_cannot_be_created_through_the_api(
    client: TestClient, db: Session, sysadmin: dict[str, str], role: str
) -> None:
    answer = client.post("/v1/users", json=_user(role=role), headers=sysadmin)
    assert answer.status_code == 403
    assert db.scalar(select(User).where(User.name == "clerk-wang")) is None
    query = select(AuditEntry).where(AuditEntry.action == "user.add", AuditEntry.actor == "sys")
    refused = db.scalars(query).one()
    assert refused.outcome == "denied"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"password": "short"}, "password"),
        ({"phone": "12345"}, "phone"),
        ({"role": "judge,clerk"}, "role"),
        ({"name": "has space"}, "name"),
        ({"court": "K01"}, None),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_users_are_refused(
    client: TestClient, sysadmin: dict[str, str], fields: dict[str, Any], field: str | None
) -> None:
    answer = client.post("/v1/users", json=_user(**fields), headers=sysadmin)
    if field is None:
        assert answer.status_code == 403  # another court's user
    else:
        assert answer.status_code == 422
        assert field in answer.text


def test_duplicate_user_is_refused(client: TestClient, sysadmin: dict[str, str]) -> None:
    assert client.post("/v1/users", json=_user(), headers=sysadmin).status_code == 201
    assert client.post("/v1/users", json=_user(), headers=sysadmin).status_code == 422


def test_secadmin_reads_and_sets_policies(
    client: TestClient, db: Session, secadmin: dict[str, str]
) -> None:
    defaults = client.get("/v1/security/policies", headers=secadmin).json()
    assert defaults == {
        "password_min_length": 12,
        "lockout_threshold": 5,
        "lockout_minutes": 15,
        "session_idle_minutes": 30,
        "token_max_days": 90,
        "cross_court_accounts": False,
    }
    change = {"lockout_threshold": 2, "password_min_length": 16}
    answer = client.put("/v1/security/policies", json=change, headers=secadmin)
    assert answer.status_code == 200 and answer.json() == {**defaults, **change}
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "policy.set")).one()
    assert entry.detail["lockout_threshold"] == {"from": 5, "to": 2}
    make_user(db, "judge-li", "judge")
    db.scalars(select(User).where(User.name == "judge-li")).one().password_hash = None
    for _ in range(2):
        authenticate(session=db, name="judge-li", password="x", source=None)
    assert db.scalars(select(User).where(User.name == "judge-li")).one().locked_until


@pytest.mark.parametrize(
    "change",
    [
        {"password_min_length": 3},
        {"lockout_threshold": 0},
        {"lockout_minutes": -5},
        {"session_idle_minutes": 100000},
        {"token_max_days": "many"},
        {"token_max_days": 1.5},
        {"unknown_policy": 1},
    ],
)
def test_nonsense_policies_are_refused(
    client: TestClient, secadmin: dict[str, str], change: dict[str, Any]
) -> None:
    answer = client.put("/v1/security/policies", json=change, headers=secadmin)
    assert answer.status_code == 422
    assert client.get("/v1/security/policies", headers=secadmin).json()["lockout_threshold"] == 5


def test_admins_stay_in_their_lane(
    client: TestClient, sysadmin: dict[str, str], secadmin: dict[str, str], db: Session
) -> None:
    auditadmin = auth(make_user(db, "aud", "auditadmin", court=None))
    assert client.get("/v1/audit", headers=sysadmin).status_code == 403
    assert client.get("/v1/audit", headers=secadmin).status_code == 403
    assert client.put("/v1/security/policies", json={}, headers=sysadmin).status_code == 403
    assert client.post("/v1/users", json=_user(), headers=secadmin).status_code == 403
    assert client.post("/v1/users", json=_user(), headers=auditadmin).status_code == 403
    assert client.put("/v1/security/policies", json={}, headers=auditadmin).status_code == 403
    assert client.get("/v1/audit/verify", headers=auditadmin).status_code == 200
    denied = db.scalars(select(AuditEntry).where(AuditEntry.action == "auth.denied")).all()
    assert {(e.actor, e.target) for e in denied} == {
        ("sys", "PUT /v1/security/policies"),
        ("sec", "POST /v1/users"),
        ("aud", "POST /v1/users"),
        ("aud", "PUT /v1/security/policies"),
    }

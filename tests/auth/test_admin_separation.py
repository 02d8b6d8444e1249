"""Issue 13 (3): the three administrators stay separate, and every act on an account is audited."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.tables.core import User
from domain.tables.trust import AuditEntry
from tests.api.conftest import auth
from tests.auth.conftest import make_user

PASSWORD = "a long enough secret"


@pytest.fixture
def sysadmin(db: Session) -> dict[str, str]:
    """Headers of a system administrator without a court (the province's)."""
    return auth(make_user(db, "sys", "sysadmin", court=None))


@pytest.fixture
def auditadmin(db: Session) -> dict[str, str]:
    """Headers of the audit administrator."""
    return auth(make_user(db, "aud", "auditadmin", court=None))


def _entries(db: Session, action: str, actor: str) -> list[AuditEntry]:
    db.expire_all()
    query = select(AuditEntry).where(AuditEntry.action == action, AuditEntry.actor == actor)
    return list(db.scalars(query))


def _user(db: Session, name: str) -> User | None:
    db.expire_all()
    return db.scalar(select(User).where(User.name == name))


def test_sysadmin_cannot_create_an_auditor(
    client: TestClient, db: Session, sysadmin: dict[str, str]
) -> None:
    body: dict[str, Any] = {"name": "spy", "role": "auditor", "password": PASSWORD}
    answer = client.post("/v1/users", json=body, headers=sysadmin)
    assert answer.status_code == 403
    assert "audit administrator" in answer.json()["detail"]
    assert _user(db, "spy") is None
    [refused] = _entries(db, "user.add", "sys")
    assert (refused.outcome, refused.target) == ("denied", "user:spy")


@pytest.mark.parametrize("role", ["secadmin", "auditadmin", "sysadmin", "auditor"])
def test_sysadmin_cannot_touch_other_administrators_or_auditors(
    client: TestClient, db: Session, sysadmin: dict[str, str], role: str
) -> None:
    token = make_user(db, "victim", role, court=None)
    for path in ("/v1/users/victim/disable", "/v1/users/victim/tokens/revoke"):
        assert client.post(path, headers=sysadmin).status_code == 403, path
    victim = _user(db, "victim")
    assert victim is not None and victim.disabled_at is None
    assert client.get("/v1/users", headers=auth(token)).status_code in (200, 403)  # still live
    refusals = _entries(db, "user.disable", "sys") + _entries(db, "token.revoke", "sys")
    assert [entry.outcome for entry in refusals] == ["denied", "denied"]


def test_only_the_audit_administrator_manages_auditors(
    client: TestClient, db: Session, auditadmin: dict[str, str], sysadmin: dict[str, str]
) -> None:
    body = {"name": "auditor-zhao", "password": PASSWORD}
    answer = client.post("/v1/auditors", json=body, headers=auditadmin)
    assert answer.status_code == 201, answer.text
    assert answer.json()["role"] == "auditor"
    assert client.post("/v1/auditors", json=body, headers=sysadmin).status_code == 403
    listed = client.get("/v1/auditors", headers=auditadmin).json()["items"]
    assert [item["name"] for item in listed] == ["auditor-zhao"]
    revoke = client.post("/v1/auditors/auditor-zhao/tokens/revoke", headers=auditadmin)
    assert revoke.status_code == 200
    answer = client.post("/v1/auditors/auditor-zhao/disable", headers=auditadmin)
    assert answer.status_code == 200 and answer.json()["disabled"] is True
    assert [e.outcome for e in _entries(db, "user.add", "aud")] == ["ok"]
    assert [e.outcome for e in _entries(db, "user.disable", "aud")] == ["ok"]


@pytest.mark.parametrize("role", ["clerk", "sysadmin", "secadmin"])
def test_audit_administrator_touches_auditors_only(
    client: TestClient, db: Session, auditadmin: dict[str, str], role: str
) -> None:
    make_user(db, "other", role, court=None)
    assert client.post("/v1/auditors/other/disable", headers=auditadmin).status_code == 403
    other = _user(db, "other")
    assert other is not None and other.disabled_at is None
    [refused] = _entries(db, "user.disable", "aud")
    assert refused.outcome == "denied"


@pytest.mark.parametrize("role", ["supervisor", "ops"])
def test_cross_court_accounts_need_the_security_policy(
    client: TestClient, db: Session, sysadmin: dict[str, str], role: str
) -> None:
    body = {"name": "province-1", "role": role, "password": PASSWORD}
    answer = client.post("/v1/users", json=body, headers=sysadmin)
    assert answer.status_code == 403
    assert "cross_court_accounts" in answer.json()["detail"]
    assert _user(db, "province-1") is None
    [refused] = _entries(db, "user.add", "sys")
    assert refused.outcome == "denied" and refused.detail["reason"] == "cross_court_policy"
    court_bound = {**body, "name": "court-1", "court": "J12"}
    assert client.post("/v1/users", json=court_bound, headers=sysadmin).status_code == 201
    secadmin = auth(make_user(db, "sec", "secadmin", court=None))
    change = {"cross_court_accounts": True}
    assert client.put("/v1/security/policies", json=change, headers=secadmin).status_code == 200
    answer = client.post("/v1/users", json=body, headers=sysadmin)
    assert answer.status_code == 201, answer.text
    assert answer.json()["court"] is None

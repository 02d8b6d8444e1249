"""Console login: sessions, wrong password, lockout, idle timeout, logout, CSRF."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.console.session import COOKIE, digest
from domain.tables.core import User
from domain.tables.trust import AuditEntry, LoginSession
from tests.console.conftest import PASSWORD, login


def test_pages_redirect_to_login_without_a_session(app_client: TestClient) -> None:
    answer = app_client.get("/console/judge/cases")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/login"


def test_login_page_is_chinese_and_accessible(app_client: TestClient) -> None:
    page = app_client.get("/console/login")
    assert page.status_code == 200
    assert 'lang="zh-CN"' in page.text and "跳到正文" in page.text
    assert '<label for="name">用户名</label>' in page.text


def test_login_opens_a_hashed_session_with_a_strict_cookie(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    answer = app_client.post("/console/login", data={"name": "judge-zhang", "password": PASSWORD})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/judge/new"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    token = app_client.cookies[COOKIE]
    rows = db.scalars(select(LoginSession)).all()
    assert [row.token_sha256 for row in rows] == [digest(token)]
    assert token not in {row.token_sha256 for row in rows}
    actions = db.scalars(select(AuditEntry.action)).all()
    assert "auth.login" in actions


def test_wrong_password_is_refused_and_audited(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    answer = app_client.post("/console/login", data={"name": "judge-zhang", "password": "nope"})
    assert answer.status_code == 401
    assert "用户名或密码不正确" in answer.text
    assert COOKIE not in app_client.cookies
    outcomes = db.scalars(select(AuditEntry.outcome).where(AuditEntry.action == "auth.login"))
    assert "denied" in list(outcomes)


def test_repeated_failures_lock_the_account(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    for _ in range(6):
        app_client.post("/console/login", data={"name": "clerk-li", "password": "bad"})
    answer = app_client.post("/console/login", data={"name": "clerk-li", "password": PASSWORD})
    assert answer.status_code == 401
    assert "锁定" in answer.text
    db.expire_all()
    user = db.scalars(select(User).where(User.name == "clerk-li")).one()
    assert user.locked_until is not None


def test_idle_session_expires(app_client: TestClient, users: dict[str, str], db: Session) -> None:
    login(app_client, "judge-zhang")
    row = db.scalars(select(LoginSession)).one()
    row.last_seen_at = datetime.now(UTC) - timedelta(minutes=31)
    db.commit()
    answer = app_client.get("/console/judge/cases")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/login?expired=1"
    db.expire_all()
    assert db.scalars(select(LoginSession)).one().revoked_at is not None


def test_logout_needs_csrf_and_revokes_the_session(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    csrf = login(app_client, "judge-zhang")
    refused = app_client.post("/console/logout", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    assert "表单已失效" in refused.text
    answer = app_client.post("/console/logout", data={"csrf_token": csrf})
    assert answer.status_code == 303
    db.expire_all()
    assert db.scalars(select(LoginSession)).one().revoked_at is not None
    assert "console.logout" in db.scalars(select(AuditEntry.action)).all()
    app_client.cookies.set(COOKIE, app_client.cookies.get(COOKIE) or "x")
    assert app_client.get("/console/judge/cases").status_code == 303

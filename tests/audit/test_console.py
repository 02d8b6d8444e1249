"""The auditor's console page: search, times in UTC+8, the chain's check; others refused."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.access.accounts import create_user
from domain.tables.trust import AuditEntry
from tests.console.conftest import PASSWORD, app_client, login

__all__ = ["app_client"]


def person(db: Session, name: str, role: str) -> str:
    """Creates a console user with the test password and returns its name."""
    create_user(session=db, name=name, role=role, court_code=None, password=PASSWORD)
    return name


@pytest.mark.parametrize("role", ["auditor", "auditadmin"])
def test_readers_search_and_verify(app_client: TestClient, db: Session, role: str) -> None:
    login(app_client, person(db, "reader", role))
    page = app_client.get("/console/audit?action=auth.login")
    assert page.status_code == 200
    assert "审计日志" in page.text and "auth.login" in page.text
    assert "/console/audit" in page.text  # in the role's menu
    checked = app_client.get("/console/audit?verify=1")
    assert "审计链完整" in checked.text
    db.expire_all()
    recorded = [e.action for e in db.scalars(select(AuditEntry).order_by(AuditEntry.seq))]
    assert recorded[-3:] == ["audit.search", "audit.verify", "audit.search"]


def test_times_show_in_beijing_time_and_a_break_is_named(
    app_client: TestClient, db: Session
) -> None:
    login(app_client, person(db, "reader", "auditor"))
    first = db.scalars(select(AuditEntry).order_by(AuditEntry.seq)).first()
    assert first is not None
    db.execute(update(AuditEntry).where(AuditEntry.seq == first.seq).values(actor="forged"))
    db.commit()
    page = app_client.get("/console/audit?verify=1").text
    assert f"第一条异常记录序号 {first.seq}" in page
    at = first.at if first.at.tzinfo else first.at.replace(tzinfo=UTC)
    assert f"{at.astimezone(ZoneInfo('Asia/Shanghai')):%Y-%m-%d %H:%M:%S}" in page


def test_bad_dates_are_explained(app_client: TestClient, db: Session) -> None:
    login(app_client, person(db, "reader", "auditor"))
    page = app_client.get("/console/audit?from=yesterday")
    assert page.status_code == 200 and "请使用日期格式" in page.text


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "judge", "clerk", "supervisor", "ops"])
def test_other_roles_are_refused(app_client: TestClient, db: Session, role: str) -> None:
    # Logged in without following to the role's own start page (some are still being built).
    form = {"name": person(db, f"user-{role}", role), "password": PASSWORD}
    assert app_client.post("/console/login", data=form).status_code == 303
    assert app_client.get("/console/audit").status_code == 403


def test_without_login_it_redirects(app_client: TestClient) -> None:
    assert app_client.get("/console/audit").status_code == 303

"""Bearer tokens: expiry from the policy, revocation (API and CLI), disabled users."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from api.access.accounts import find_user
from api.access.auth import as_utc
from api.access.tokens import TokenError, issue_token
from api.cli.main import app as cli
from domain.settings import Settings
from domain.tables.core import ApiToken
from domain.tables.trust import AuditEntry, LoginSession, SecurityPolicy
from tests.auth.conftest import auth, make_user

runner = CliRunner()
LIST = "/v1/service-requests"


def _expiry_days(db: Session, token: str) -> float:
    row = db.scalars(select(ApiToken).where(ApiToken.prefix == token[:8])).one()
    assert row.expires_at is not None
    return (as_utc(row.expires_at) - datetime.now(UTC)).total_seconds() / 86400


def test_tokens_expire_by_default_within_the_policy(db: Session) -> None:
    token = make_user(db, "cs", "case_system")
    assert 89.9 < _expiry_days(db, token) <= 90
    db.add(SecurityPolicy(key="token_max_days", value=7))
    db.commit()
    user = find_user(session=db, name="cs")
    assert 6.9 < _expiry_days(db, issue_token(session=db, user=user)) <= 7
    assert 1.9 < _expiry_days(db, issue_token(session=db, user=user, expires_days=2)) <= 2
    with pytest.raises(TokenError, match="token_max_days"):
        issue_token(session=db, user=user, expires_days=30)


def test_expired_token_is_refused(client: TestClient, db: Session) -> None:
    token = make_user(db, "cs", "case_system")
    # Due within a second: the answer below caches the token, and the cache keeps its expiry.
    db.scalars(select(ApiToken)).one().expires_at = datetime.now(UTC) + timedelta(seconds=1)
    db.commit()
    assert client.get(LIST, headers=auth(token)).status_code == 200
    time.sleep(1.1)
    assert client.get(LIST, headers=auth(token)).status_code == 401


def test_sysadmin_revokes_all_tokens_or_one(client: TestClient, db: Session) -> None:
    admin = auth(make_user(db, "admin", "sysadmin"))
    first = make_user(db, "cs", "case_system")
    second = issue_token(session=db, user=find_user(session=db, name="cs"))
    one = client.post("/v1/users/cs/tokens/revoke", json={"token_prefix": first[:8]}, headers=admin)
    assert one.status_code == 200 and one.json() == {"revoked": 1}
    assert client.get(LIST, headers=auth(first)).status_code == 401
    assert client.get(LIST, headers=auth(second)).status_code == 200
    every = client.post("/v1/users/cs/tokens/revoke", headers=admin)
    assert every.status_code == 200 and every.json() == {"revoked": 1}
    assert client.get(LIST, headers=auth(second)).status_code == 401
    actions = [e.action for e in db.scalars(select(AuditEntry).where(AuditEntry.actor == "admin"))]
    assert actions == ["token.revoke", "token.revoke"]


def test_revoke_refuses_a_short_prefix_and_unknown_users(client: TestClient, db: Session) -> None:
    admin = auth(make_user(db, "admin", "sysadmin"))
    make_user(db, "cs", "case_system")
    short = client.post("/v1/users/cs/tokens/revoke", json={"token_prefix": "abc"}, headers=admin)
    assert short.status_code == 422
    assert client.post("/v1/users/ghost/tokens/revoke", headers=admin).status_code == 404


def test_court_sysadmin_manages_only_its_court(client: TestClient, db: Session) -> None:
    admin = auth(make_user(db, "admin", "sysadmin", court="J12"))
    other = make_user(db, "cs-other", "case_system", court="K01")
    assert client.post("/v1/users/cs-other/tokens/revoke", headers=admin).status_code == 404
    assert client.post("/v1/users/cs-other/disable", headers=admin).status_code == 404
    assert client.get(LIST, headers=auth(other)).status_code == 200
    names = [item["name"] for item in client.get("/v1/users", headers=admin).json()["items"]]
    assert names == ["admin"]


def test_disabled_user_tokens_stop_working(client: TestClient, db: Session) -> None:
    admin = auth(make_user(db, "admin", "sysadmin"))
    token = make_user(db, "cs", "case_system")
    answer = client.post("/v1/users/cs/disable", headers=admin)
    assert answer.status_code == 200 and answer.json()["disabled"] is True
    assert client.get(LIST, headers=auth(token)).status_code == 401
    assert client.post("/v1/users/admin/disable", headers=admin).status_code == 403
    with pytest.raises(TokenError):
        issue_token(session=db, user=find_user(session=db, name="cs"))


def test_disabling_ends_console_sessions(client: TestClient, db: Session) -> None:
    admin = auth(make_user(db, "admin", "sysadmin"))
    make_user(db, "judge-li", "judge")
    judge = find_user(session=db, name="judge-li")
    later = datetime.now(UTC) + timedelta(hours=1)
    db.add(LoginSession(token_sha256="0" * 64, user_id=judge.id, csrf_token="c", expires_at=later))
    db.commit()
    assert client.post("/v1/users/judge-li/disable", headers=admin).status_code == 200
    db.expire_all()
    assert db.scalars(select(LoginSession)).one().revoked_at is not None


def _env(settings: Settings) -> dict[str, str]:
    return {
        "SONGDA_STATE_DIR": str(settings.state_dir),
        "DATABASE_URL": settings.effective_database_url,
        "SONGDA_TOKEN": "",
    }


def test_cli_creates_expiring_tokens_and_revokes_them(
    client: TestClient, db: Session, settings: Settings
) -> None:
    env = _env(settings)
    added = runner.invoke(
        cli, ["user", "add", "cs", "--role", "case_system", "--court", "J12"], env=env
    )
    assert added.exit_code == 0, added.output
    made = runner.invoke(cli, ["token", "create", "cs", "--days", "3"], env=env)
    assert made.exit_code == 0, made.output
    first = made.output.strip()
    assert 2.9 < _expiry_days(db, first) <= 3
    second = runner.invoke(cli, ["token", "create", "cs"], env=env).output.strip()
    too_long = runner.invoke(cli, ["token", "create", "cs", "--days", "400"], env=env)
    assert too_long.exit_code == 1 and "token_max_days" in too_long.output

    one = runner.invoke(cli, ["token", "revoke", "cs", "--token-prefix", first[:10]], env=env)
    assert one.exit_code == 0 and "1 token" in one.output
    assert client.get(LIST, headers=auth(first)).status_code == 401
    assert client.get(LIST, headers=auth(second)).status_code == 200
    listed = runner.invoke(cli, ["token", "list", "cs"], env=env).output
    assert f"{first[:8]}" in listed and "revoked" in listed and "live" in listed
    assert runner.invoke(cli, ["token", "revoke", "cs"], env=env).exit_code == 0
    assert client.get(LIST, headers=auth(second)).status_code == 401
    audited = [
        e.action for e in db.scalars(select(AuditEntry).where(AuditEntry.actor == "songda-cli"))
    ]
    assert audited == ["user.add", "token.create", "token.create", "token.revoke", "token.revoke"]


def test_cli_disables_a_user(client: TestClient, db: Session, settings: Settings) -> None:
    token = make_user(db, "cs", "case_system")
    result = runner.invoke(cli, ["user", "disable", "cs"], env=_env(settings))
    assert result.exit_code == 0, result.output
    assert client.get(LIST, headers=auth(token)).status_code == 401


def test_cli_adds_administrators_and_oidc_subjects(db: Session, settings: Settings) -> None:
    env = _env(settings)
    admin = runner.invoke(cli, ["user", "add", "root-sys", "--role", "sysadmin"], env=env)
    assert admin.exit_code == 0, admin.output
    mapped = ["user", "add", "judge-li", "--role", "judge", "--oidc-subject", "idp|judge-li"]
    assert runner.invoke(cli, mapped, env=env).exit_code == 0
    assert find_user(session=db, name="judge-li").oidc_subject == "idp|judge-li"
    again = ["user", "add", "judge-wu", "--role", "judge", "--oidc-subject", "idp|judge-li"]
    taken = runner.invoke(cli, again, env=env)
    assert taken.exit_code == 1 and "another user has this subject" in taken.output
    weak = runner.invoke(
        cli,
        ["user", "add", "clerk-x", "--role", "clerk", "--password-stdin"],
        input="short\n",
        env=env,
    )
    assert weak.exit_code == 1 and "at least 12" in weak.output

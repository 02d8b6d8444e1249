"""Issue 13 (11): the console login and the providers' webhooks are rate-limited per client
address, in the database (shared by every API process)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.access.accounts import create_user
from api.app import create_app
from api.rate_limit import RateLimits
from domain.settings import Settings
from domain.tables.trust import AuditEntry

PASSWORD = "correct horse 9"


def _logins(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).where(AuditEntry.action == "auth.login")) or 0


def test_login_is_limited_per_address_across_processes(
    settings: Settings, engine: object, db: Session
) -> None:
    create_user(session=db, name="clerk-li", role="clerk", court_code="J12", password=PASSWORD)
    one, two = (TestClient(create_app(settings), follow_redirects=False) for _ in range(2))
    with one, two:
        for attempt in range(10):
            client = one if attempt % 2 else two
            wrong = {"name": "clerk-li", "password": f"guess {attempt}"}
            assert client.post("/console/login", data=wrong).status_code != 429
        right = {"name": "clerk-li", "password": PASSWORD}
        refused = one.post("/console/login", data=right)
        assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
        assert two.post("/console/login", data=right).status_code == 429
    assert _logins(db) == 10  # refused before argon2 and the audit row


def test_webhooks_are_limited_per_address(settings: Settings, engine: object) -> None:
    app = create_app(settings)
    with TestClient(app) as client:
        app.state.rate_limits = RateLimits(webhook_per_minute=3)
        statuses = [
            client.post("/v1/providers/sandbox-sms/events", content=b"{}").status_code
            for _ in range(4)
        ]
    assert 429 not in statuses[:3] and statuses[3] == 429


def test_the_console_cookie_is_secure_outside_development(
    settings: Settings, engine: object, db: Session
) -> None:
    create_user(session=db, name="clerk-li", role="clerk", court_code="J12", password=PASSWORD)
    for environment, secure in (("production", True), ("development", False)):
        chosen = settings.model_copy(update={"environment": environment})
        with TestClient(create_app(chosen), follow_redirects=False) as client:
            answer = client.post("/console/login", data={"name": "clerk-li", "password": PASSWORD})
            cookie = answer.headers["set-cookie"]
            assert ("; secure" in cookie.lower()) is secure, environment

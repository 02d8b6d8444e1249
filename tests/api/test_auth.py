"""Bearer tokens: missing, unknown, revoked or expired tokens answer 401; roles are checked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.accounts import check_password, create_user, hash_password
from domain.tables.core import ApiToken, ServiceRequest
from tests.api.conftest import auth, count, make_token, valid_body


@pytest.mark.parametrize("headers", [{}, auth("not-a-token"), {"Authorization": "Basic abc"}])
def test_missing_or_unknown_token_is_401(
    client: TestClient, db: Session, headers: dict[str, str]
) -> None:
    response = client.post("/v1/service-requests", json=valid_body(), headers=headers)
    assert response.status_code == 401
    assert client.get("/v1/service-requests", headers=headers).status_code == 401
    assert count(db, ServiceRequest) == 0


@pytest.mark.parametrize("field", ["revoked_at", "expires_at"])
def test_revoked_or_expired_token_is_401(client: TestClient, db: Session, field: str) -> None:
    token = make_token(db, "case-system", "case_system")
    row = db.scalars(select(ApiToken)).one()
    setattr(row, field, datetime.now(UTC) - timedelta(minutes=1))
    db.commit()
    assert client.get("/v1/service-requests", headers=auth(token)).status_code == 401


def test_live_token_with_future_expiry_passes(client: TestClient, db: Session) -> None:
    token = make_token(db, "case-system", "case_system")
    db.scalars(select(ApiToken)).one().expires_at = datetime.now(UTC) + timedelta(days=1)
    db.commit()
    assert client.get("/v1/service-requests", headers=auth(token)).status_code == 200


@pytest.mark.parametrize(
    ("role", "method", "path"),
    [
        ("clerk", "post", "/v1/service-requests"),
        ("auditor", "post", "/v1/service-requests"),
        ("clerk", "post", "/v1/tasks/t1/retry"),
        ("case_system", "post", "/v1/tasks/t1/skip-step"),
        ("ops", "post", "/v1/tasks/t1/contacts"),
        ("judge", "get", "/v1/work-orders"),
        ("ops", "post", "/v1/work-orders/w1/outcome"),
        ("clerk", "post", "/v1/service-requests/r1/cancel"),
    ],
)
def test_roles_are_enforced(
    client: TestClient, db: Session, role: str, method: str, path: str
) -> None:
    headers = auth(make_token(db, f"user-{role}", role))
    response = client.request(method.upper(), path, json=valid_body(), headers=headers)
    assert response.status_code == 403


def test_password_hash_round_trip(db: Session) -> None:
    stored = hash_password("correct horse")
    assert stored.startswith("$argon2id$")
    assert check_password("correct horse", stored)
    assert not check_password("wrong", stored)
    user = create_user(
        session=db, name="judge-li", role="judge", password="pw", phone="138 0000 0003"
    )
    assert user.phone == "13800000003"
    assert user.password_hash and check_password("pw", user.password_hash)

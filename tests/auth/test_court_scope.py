"""Court scoping where a list is filtered after the fact (stuck tasks) or by a filter (stats)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.access.accounts import create_user, ensure_court
from api.access.court_scope import readable_request_ids
from domain.tables.core import ServiceRequest, User
from tests.auth.conftest import auth, make_user


def _request(db: Session, client: User, court: str, external_id: str) -> str:
    request = ServiceRequest(
        client_id=client.id, external_id=external_id, court_code=court,
        case_number="(2026)津0103民初1234号", procedure="ordinary",
    )  # fmt: skip
    db.add(request)
    db.commit()
    return request.id


def test_each_caller_sees_its_court_or_its_own_requests(db: Session) -> None:
    for code in ("J12", "K01"):
        ensure_court(session=db, code=code, name=code)
    system = create_user(session=db, name="cs", role="case_system", court_code="J12")
    other_system = create_user(session=db, name="cs-k", role="case_system", court_code="K01")
    here = _request(db, system, "J12", "A")
    there = _request(db, other_system, "K01", "B")
    users = {
        "ops-j12": create_user(session=db, name="ops-j12", role="ops", court_code="J12"),
        "ops-all": create_user(session=db, name="ops-all", role="ops"),
        "clerk-k01": create_user(session=db, name="clerk-k01", role="clerk", court_code="K01"),
        "clerk-none": create_user(session=db, name="clerk-none", role="clerk"),
        "sysadmin": create_user(session=db, name="sys", role="sysadmin", court_code="J12"),
        "cs": system,
    }
    seen = {
        name: readable_request_ids(session=db, user=user, request_ids=[here, there, "nope"])
        for name, user in users.items()
    }
    assert seen == {
        "ops-j12": {here},
        "ops-all": {here, there},
        "clerk-k01": {there},
        "clerk-none": set(),
        "sysadmin": set(),
        "cs": {here},
    }


def test_stats_of_a_court_bound_caller_stay_in_its_court(client: TestClient, db: Session) -> None:
    for code in ("J12", "K01"):
        ensure_court(session=db, code=code, name=code)
    _request(db, create_user(session=db, name="cs-k", role="case_system"), "K01", "B")
    judge = auth(make_user(db, "judge-li", "judge"))
    loose_judge = auth(make_user(db, "judge-x", "judge", court=None))
    supervisor = auth(make_user(db, "sup-j12", "supervisor"))
    assert client.get("/v1/stats", headers=judge).status_code == 200
    assert client.get("/v1/stats", headers=loose_judge).status_code == 403
    everywhere = auth(make_user(db, "sup-all", "supervisor", court=None))
    # Asking for another court still answers the caller's own court's figures.
    other = client.get("/v1/stats", params={"court": "K01"}, headers=supervisor)
    assert other.status_code == 200 and other.json()["requests"] == 0
    cross = client.get("/v1/stats", params={"court": "K01"}, headers=everywhere)
    assert cross.status_code == 200 and cross.json()["requests"] == 1

"""Every route of the API against every role: the roles not listed get 403, no token 401.

The table below is the authorization contract. A /v1 route missing from it fails the suite,
so a new route cannot ship without deciding who may call it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.access.accounts import create_user, ensure_court, issue_token
from api.access.auth import ROLES
from api.app import create_app
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.tables.core import Base

# Markers for routes that do not use roles.
PUBLIC = frozenset({"<public>"})  # no personal data: health, Prometheus counters
SIGNED = frozenset({"<signed>"})  # providers: HMAC signature instead of a bearer token

CS, JUDGE, CLERK, SUP, OPS = "case_system", "judge", "clerk", "supervisor", "ops"
AUDITOR, SYSADMIN, SECADMIN, AUDITADMIN = "auditor", "sysadmin", "secadmin", "auditadmin"
READERS = frozenset({CS, JUDGE, CLERK, SUP, OPS})


def roles(*names: str) -> frozenset[str]:
    """Returns the allowed roles of a route."""
    return frozenset(names)


MATRIX: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/metrics"): PUBLIC,
    ("POST", "/v1/service-requests"): roles(CS, JUDGE),
    ("GET", "/v1/service-requests"): READERS,
    ("GET", "/v1/service-requests/{request_id}"): READERS,
    ("POST", "/v1/service-requests/{request_id}/cancel"): roles(CS, JUDGE, SUP, OPS),
    ("PUT", "/v1/service-requests/{request_id}/hearing"): roles(CS, JUDGE),
    ("GET", "/v1/service-requests/{request_id}/archive"): roles(CS, JUDGE, CLERK, SUP),
    ("GET", "/v1/tasks/{task_id}/timeline"): READERS,
    ("POST", "/v1/tasks/{task_id}/retry"): roles(OPS, SUP),
    ("POST", "/v1/tasks/{task_id}/skip-step"): roles(OPS, SUP),
    ("POST", "/v1/tasks/{task_id}/skip-to-direct"): roles(JUDGE, OPS, SUP),
    ("POST", "/v1/tasks/{task_id}/contacts"): roles(CS, JUDGE, CLERK, SUP),
    ("GET", "/v1/work-orders"): roles(CLERK, SUP, OPS, CS),
    ("POST", "/v1/work-orders/{order_id}/outcome"): roles(CLERK, SUP, CS),
    ("POST", "/v1/work-orders/{order_id}/claim"): roles(CLERK),
    ("POST", "/v1/work-orders/{order_id}/assign"): roles(SUP),
    ("POST", "/v1/work-orders/{order_id}/release"): roles(CLERK, SUP),
    ("POST", "/v1/work-orders/{order_id}/calls"): roles(CLERK, SUP),
    ("GET", "/v1/work-orders/{order_id}/calls"): roles(CLERK, SUP, OPS, CS),
    ("POST", "/v1/work-orders/{order_id}/call"): roles(CLERK, SUP),
    ("POST", "/v1/work-orders/{order_id}/calls/{call_id}/fetch"): roles(CLERK, SUP),
    ("GET", "/v1/work-orders/{order_id}/script"): roles(CLERK, SUP),
    ("POST", "/v1/work-orders/{order_id}/evidence"): roles(CLERK, SUP),
    ("GET", "/v1/work-orders/{order_id}/evidence"): roles(CLERK, SUP, JUDGE, CS),
    ("GET", "/v1/evidence/{evidence_id}"): roles(CLERK, SUP, JUDGE, CS),
    ("POST", "/v1/providers/{provider}/events"): SIGNED,
    ("GET", "/v1/ops/stuck"): roles(OPS, SUP),
    ("GET", "/v1/stats"): roles(SUP, OPS, JUDGE),
    ("GET", "/v1/stats/export"): roles(SUP, OPS, JUDGE),
    ("GET", "/v1/audit"): roles(AUDITOR, AUDITADMIN),
    ("GET", "/v1/audit/verify"): roles(AUDITOR, AUDITADMIN),
    ("GET", "/v1/users"): roles(SYSADMIN),
    ("POST", "/v1/users"): roles(SYSADMIN),
    ("POST", "/v1/users/{name}/disable"): roles(SYSADMIN),
    ("POST", "/v1/users/{name}/tokens/revoke"): roles(SYSADMIN),
    ("GET", "/v1/auditors"): roles(AUDITADMIN),
    ("POST", "/v1/auditors"): roles(AUDITADMIN),
    ("POST", "/v1/auditors/{name}/disable"): roles(AUDITADMIN),
    ("POST", "/v1/auditors/{name}/tokens/revoke"): roles(AUDITADMIN),
    ("GET", "/v1/security/policies"): roles(SECADMIN),
    ("PUT", "/v1/security/policies"): roles(SECADMIN),
    ("PUT", "/v1/calendar/years/{year}"): roles(SYSADMIN, OPS),
    ("POST", "/codec/decode"): roles(OPS, SUP),
    ("POST", "/codec/encode"): roles(OPS, SUP),
}
# Routes that find the object before checking the role, so that every refused try is audited
# against it (tests/api/test_evidence.py): an unknown id answers 404 to every role.
LOOKUP_FIRST = frozenset({("GET", "/v1/evidence/{evidence_id}")})
# Console pages authenticate by session cookie and are checked in tests/console.
COOKIE_PREFIXES = ("/console",)


def _route_contexts(routes: list[object]) -> Iterator[object]:
    for route in routes:
        # FastAPI 0.16x keeps included routers as branches; older versions flatten them.
        nested = getattr(route, "effective_route_contexts", None)
        if nested is not None:
            yield from nested()
        else:
            yield route


def api_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Returns every (method, path) the app answers with an endpoint (docs excluded)."""
    found: set[tuple[str, str]] = set()
    for route in _route_contexts(list(app.routes)):
        methods = getattr(route, "methods", None)
        path = getattr(route, "path", "")
        if not methods or not (isinstance(route, APIRoute) or hasattr(route, "endpoint")):
            continue
        if path in ("/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"):
            continue
        found.update((method, path) for method in methods if method not in ("HEAD", "OPTIONS"))
    return found


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings on a fresh state folder, with Temporal at an address where nothing listens."""
    root: Path = tmp_path_factory.mktemp("matrix")
    return Settings(
        SONGDA_STATE_DIR=root / "state",
        DATABASE_URL=f"sqlite:///{root / 'songda.db'}",
        TEMPORAL_ADDRESS="127.0.0.1:1",
        SONGDA_PROVIDER_SECRET="test-secret",
    )


@pytest.fixture(scope="module")
def tokens(settings: Settings) -> dict[str, str]:
    """One user and token per role, all of court J12."""
    engine = make_engine(settings.effective_database_url)
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        ensure_court(session=session, code="J12", name="天津市河西区人民法院")
        made = {}
        for role in sorted(ROLES):
            user = create_user(session=session, name=f"m-{role}", role=role, court_code="J12")
            made[role] = issue_token(session=session, user=user)
    engine.dispose()
    return made


@pytest.fixture(scope="module")
def client(settings: Settings, tokens: dict[str, str]) -> Iterator[TestClient]:
    """The API over the matrix database, its lifespan running."""
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def _call(client: TestClient, method: str, path: str, token: str | None) -> int:
    url = path.replace("{", "x-").replace("}", "")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    # The users are J12's: the codec lets court-bound staff into their court's namespace only.
    headers["X-Namespace"] = "songda-j12"
    body = {} if method in ("POST", "PUT", "PATCH") else None
    return client.request(method, url, json=body, headers=headers).status_code


def test_every_route_is_in_the_matrix() -> None:
    app = create_app(Settings(TEMPORAL_ADDRESS="127.0.0.1:1"))
    served = {item for item in api_routes(app) if not item[1].startswith(COOKIE_PREFIXES)}
    missing = sorted(served - MATRIX.keys())
    assert not missing, f"routes without an entry in MATRIX (decide who may call them): {missing}"
    stale = sorted(MATRIX.keys() - served)
    assert not stale, f"MATRIX lists routes the app does not serve: {stale}"


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX), ids=lambda v: str(v))
def test_roles_outside_the_matrix_are_refused(
    client: TestClient, tokens: dict[str, str], method: str, path: str
) -> None:
    allowed = MATRIX[(method, path)]
    if allowed is PUBLIC:
        assert _call(client, method, path, None) not in (401, 403)
        return
    assert _call(client, method, path, None) == 401
    for role, token in sorted(tokens.items()):
        status = _call(client, method, path, token)
        if allowed is SIGNED:
            assert status == 401, f"{role}: a bearer token is no provider signature"
        elif role in allowed:
            assert status not in (401, 403), f"{role} should pass the role check, got {status}"
        elif (method, path) in LOOKUP_FIRST:
            assert status in (403, 404), f"{role} should be refused, got {status}"
        else:
            assert status == 403, f"{role} should be refused, got {status}"

"""Issue 12, item 10: residence is a field with its notice period, and no field is dropped."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.app import create_app
from domain.settings import Settings
from domain.tables.core import Party
from tests.api.conftest import auth, make_token, valid_body


@pytest.fixture
def case_system(db: Session) -> dict[str, str]:
    """Headers of a case-handling system of court J12."""
    return auth(make_token(db, "case-system", "case_system"))


def submit(client: TestClient, headers: dict[str, str], **party: Any) -> Any:
    """Submits the valid request with changes to its first party."""
    body = valid_body()
    body["parties"][0].update(party)
    return client.post("/v1/service-requests", json=body, headers=headers)


@pytest.mark.parametrize(
    ("given", "stored"),
    [({"residence": "taiwan"}, "taiwan"), ({"foreign": True}, "abroad"), ({}, "mainland")],
)
def test_residence_is_stored_not_dropped(
    client: TestClient, db: Session, case_system: dict[str, str], given: dict[str, Any],
    stored: str,
) -> None:  # fmt: skip
    """`residence: taiwan` is kept; `foreign: true` still means abroad; mainland by default."""
    response = submit(client, case_system, **given)
    assert response.status_code == 201, response.text
    party = db.scalars(select(Party).where(Party.ref == "P1")).one()
    assert party.residence == stored


def test_an_unknown_field_is_refused_by_name(
    client: TestClient, db: Session, case_system: dict[str, str]
) -> None:
    """A misspelt field is a 422 naming it, never silently dropped; nothing is stored."""
    response = submit(client, case_system, residense="taiwan")
    assert response.status_code == 422
    fields = {item["field"] for item in response.json()["detail"]}
    assert "parties[0].residense" in fields
    assert db.scalars(select(Party)).first() is None


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"].rsplit("/", 1)[1]] if "$ref" in node else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def _json_body(operation: dict[str, Any]) -> Any:
    # JSON bodies only: a multipart upload's parts are named by the route, not a model.
    return operation.get("requestBody", {}).get("content", {}).get("application/json", {})


def lax_bodies(schema: dict[str, Any]) -> list[str]:
    """Returns the request-body schemas (nested ones too) that accept fields they do not know."""
    components = schema.get("components", {}).get("schemas", {})
    todo = [r for path in schema["paths"].values() for op in path.values()
            for r in _refs(_json_body(op))]  # fmt: skip
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += _refs(components[name].get("properties", {}))
    objects = [n for n in seen if components[n].get("type") == "object"]
    return sorted(n for n in objects if components[n].get("additionalProperties") is not False)


def test_every_request_body_refuses_unknown_fields(settings: Settings) -> None:
    """Every model a route reads from a JSON body, nested ones too, forbids extra fields."""
    schema = create_app(settings).openapi()
    assert lax_bodies(schema) == []

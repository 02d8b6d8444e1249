"""Refused submissions: 422 with a message per field, nothing stored, nothing started."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from domain.settings import Settings
from domain.tables.core import Court, Document, Party, ServiceRequest, ServiceTask
from tests.api.conftest import count, stored_files, valid_body

Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    def mutate(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = body
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is _DELETE:
            del target[last]
        elif last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value

    return mutate


_DELETE = object()
BIG = base64.b64encode(b"x" * 2048).decode()

CASES: dict[str, tuple[Mutation, str, str]] = {
    # name: (mutation, field expected in the answer, the refused value that must not be echoed)
    "id_checksum": (_set("parties.0.id_number", "110101200001011230"), "parties[0].id_number",
                    "110101200001011230"),
    "id_missing": (_set("parties.0.id_number", _DELETE), "parties[0].id_number", ""),
    "mobile": (_set("parties.0.phones", ["12345"]), "parties[0].phones[0]", "12345"),
    "credit_code": (_set("parties.1.credit_code", "91110105MA01ABCD50"), "parties[1].credit_code",
                    "91110105MA01ABCD50"),
    "licence": (_set("parties.1", {"ref": "L1", "name": "李律师", "kind": "lawyer",
                                  "role": "agent", "licence_number": "1abc"}),
                "parties[1].licence_number", "1abc"),
    "case_number": (_set("case.number", "(21)津0103民初1234号"), "case.number", "(21)"),
    "procedure": (_set("case.procedure", "summary"), "case.procedure", ""),
    "empty_documents": (_set("documents", []), "documents", ""),
    "document_kind": (_set("documents.0.kind", "letter"), "documents[0].kind", ""),
    "media_type": (_set("documents.0.media_type", "application/x-msdownload"),
                   "documents[0].media_type", ""),
    "base64": (_set("documents.0.content_base64", "not base64!"),
               "documents[0].content_base64", ""),
    "too_big": (_set("documents.0.content_base64", BIG), "documents[0].content_base64", ""),
    "duplicate_refs": (_set("parties.1.ref", "P1"), "parties[1].ref", ""),
    "party_kind": (_set("parties.0.kind", "robot"), "parties[0].kind", ""),
    "clock_mode": (_set("plan.clock.mode", "warp"), "plan.clock.mode", ""),
    "seconds_per_day": (_set("plan.clock.seconds_per_day", 0), "plan.clock.seconds_per_day", ""),
    "email": (_set("parties.0.emails", ["not-an-email"]), "parties[0].emails[0]",
              "not-an-email"),
    "postcode": (_set("parties.0.addresses.0.postcode", "30000X"),
                 "parties[0].addresses[0].postcode", ""),
    "no_parties": (_set("parties", []), "parties", ""),
}  # fmt: skip


def _assert_nothing_stored(db: Session, settings: Settings) -> None:
    for model in (Court, ServiceRequest, Document, Party, ServiceTask):
        assert count(db, model) == 0, model.__name__
    assert stored_files(settings) == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_refused_input_names_the_field_and_stores_nothing(
    name: str,
    client: TestClient,
    case_system: dict[str, str],
    db: Session,
    settings: Settings,
) -> None:
    mutate, field, secret = CASES[name]
    body = valid_body()
    mutate(body)
    response = client.post("/v1/service-requests", json=body, headers=case_system)
    assert response.status_code == 422, response.text
    fields = [item["field"] for item in response.json()["detail"]]
    assert field in fields
    assert all(item["msg"] for item in response.json()["detail"])
    if secret:
        assert secret not in response.text
    _assert_nothing_stored(db, settings)


def test_accelerated_clock_refused_where_not_allowed(
    client: TestClient, case_system: dict[str, str], db: Session, settings: Settings
) -> None:
    app = client.app
    assert isinstance(app, FastAPI)
    app.state.settings = settings.model_copy(update={"allow_accelerated_clock": False})
    response = client.post("/v1/service-requests", json=valid_body(), headers=case_system)
    assert response.status_code == 422
    assert [item["field"] for item in response.json()["detail"]] == ["plan.clock.mode"]
    _assert_nothing_stored(db, settings)


def test_several_bad_fields_get_one_message_each(
    client: TestClient, case_system: dict[str, str]
) -> None:
    body = valid_body()
    body["parties"][0]["phones"] = ["123", "456"]
    body["parties"][0]["id_number"] = "110101200002301231"
    response = client.post("/v1/service-requests", json=body, headers=case_system)
    fields = [item["field"] for item in response.json()["detail"]]
    assert sorted(fields) == [
        "parties[0].id_number", "parties[0].phones[0]", "parties[0].phones[1]",
    ]  # fmt: skip
    assert '"input"' not in response.text


def test_other_courts_submission_is_forbidden(
    client: TestClient, case_system: dict[str, str], db: Session, settings: Settings
) -> None:
    body = valid_body()
    body["court"]["code"] = "J13"
    response = client.post("/v1/service-requests", json=body, headers=case_system)
    assert response.status_code == 403
    _assert_nothing_stored(db, settings)

"""Accepted submissions with Temporal unreachable: stored normalized, idempotent, readable."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.requests.starter import heal_once
from api.temporal import TemporalHolder
from domain.pure.names import party_workflow_id
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.store.documents import DocumentStore
from domain.tables.core import Court, Document, Party, ServiceRequest, ServiceTask
from tests.api.conftest import PDF, auth, count, make_token, valid_body


def test_accepted_request_is_stored_normalized(
    client: TestClient, case_system: dict[str, str], db: Session, settings: Settings
) -> None:
    response = client.post("/v1/service-requests", json=valid_body(), headers=case_system)
    assert response.status_code == 201, response.text
    body = response.json()
    request_id = body["id"]
    assert body["status"] == "in_progress"
    assert [task["party_ref"] for task in body["tasks"]] == ["P1", "P2"]
    assert body["tasks"][0]["workflow_id"] == party_workflow_id(request_id, "P1")
    assert {task["status"] for task in body["tasks"]} == {"pending"}

    request = db.get_one(ServiceRequest, request_id)
    assert request.case_number == "（2026）津0103民初1234号"
    assert request.clock == {"mode": "accelerated", "seconds_per_day": 2.0}
    # Temporal is unreachable here: the healer will start it once Temporal answers.
    assert request.workflow_started is False
    party = db.scalars(select(Party).where(Party.ref == "P1")).one()
    assert party.phones == ["13800000002"]
    assert party.id_number == "11010119950612101X"
    assert party.addresses == [{"text": "天津市河西区友谊路1号", "postcode": "300000"}]
    document = db.scalars(select(Document)).one()
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert DocumentStore(settings.document_dir).get(document.sha256) == PDF
    assert db.get_one(Court, "J12").name == "天津市河西区人民法院"


def test_same_external_id_answers_200_with_the_same_request(
    client: TestClient, case_system: dict[str, str], db: Session
) -> None:
    first = client.post("/v1/service-requests", json=valid_body(), headers=case_system)
    again = client.post("/v1/service-requests", json=valid_body(), headers=case_system)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert count(db, ServiceRequest) == 1
    assert count(db, ServiceTask) == 2


def test_same_external_id_from_another_client_is_a_new_request(
    client: TestClient, case_system: dict[str, str], db: Session
) -> None:
    judge = auth(make_token(db, "judge-zhang", "judge"))
    first = client.post("/v1/service-requests", json=valid_body(), headers=case_system)
    other = client.post("/v1/service-requests", json=valid_body(), headers=judge)
    assert (first.status_code, other.status_code) == (201, 201)
    assert other.json()["id"] != first.json()["id"]


def test_list_get_and_access(client: TestClient, case_system: dict[str, str], db: Session) -> None:
    created = client.post("/v1/service-requests", json=valid_body(), headers=case_system).json()
    listing = client.get(
        "/v1/service-requests", params={"external_id": "HX-2026-000123"}, headers=case_system
    ).json()
    assert listing["total"] == 1
    assert listing["items"][0]["id"] == created["id"]
    detail = client.get(f"/v1/service-requests/{created['id']}", headers=case_system).json()
    assert detail["court"] == {"code": "J12", "name": "天津市河西区人民法院"}
    assert detail["archive"] is None
    assert set(detail["tasks"][0]) >= {"step", "method", "served_on", "reason", "attempts"}

    clerk = auth(make_token(db, "clerk-wang", "clerk"))
    assert client.get(f"/v1/service-requests/{created['id']}", headers=clerk).status_code == 200
    other = auth(make_token(db, "other-system", "case_system", court="J13"))
    assert client.get(f"/v1/service-requests/{created['id']}", headers=other).status_code == 404
    assert client.get("/v1/service-requests", headers=other).json()["items"] == []
    assert client.get("/v1/service-requests/nope", headers=case_system).status_code == 404


def test_cancel_of_a_finished_request_is_a_conflict(
    client: TestClient, case_system: dict[str, str], db: Session
) -> None:
    created = client.post("/v1/service-requests", json=valid_body(), headers=case_system).json()
    request = db.get_one(ServiceRequest, created["id"])
    request.status = "completed"
    db.commit()
    response = client.post(f"/v1/service-requests/{created['id']}/cancel", headers=case_system)
    assert response.status_code == 409


def test_healer_leaves_requests_unstarted_while_temporal_is_down(
    client: TestClient, case_system: dict[str, str], settings: Settings, db: Session
) -> None:
    client.post("/v1/service-requests", json=valid_body(), headers=case_system)
    request = db.scalars(select(ServiceRequest)).one()
    request.created_at = request.created_at - timedelta(seconds=30)
    db.commit()
    engine = make_engine(settings.effective_database_url)
    factory = make_session_factory(engine)
    started = asyncio.run(
        heal_once(factory=factory, temporal=TemporalHolder(settings), settings=settings)
    )
    engine.dispose()
    assert started == 0
    db.expire_all()
    assert db.scalars(select(ServiceRequest.workflow_started)).one() is False


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"ok": True}


def test_openapi_schema_documents_the_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    documented = {"/v1/service-requests", "/v1/providers/{provider}/events", "/healthz"}
    documented |= {"/v1/stats", "/v1/audit/verify", "/v1/ops/stuck", "/v1/work-orders"}
    assert documented <= set(paths)

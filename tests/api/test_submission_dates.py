"""The case's dates on a submission: hearing_at with an offset, accepted_on, pronounced_on."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from domain.tables.core import ServiceRequest
from tests.api.conftest import valid_body


def test_dates_are_stored(client: TestClient, case_system: dict[str, str], db: Session) -> None:
    body = valid_body() | {"hearing_at": "2026-10-09T09:30:00+08:00",
                           "accepted_on": "2026-09-01", "pronounced_on": None}  # fmt: skip
    response = client.post("/v1/service-requests", json=body, headers=case_system)
    assert response.status_code == 201, response.text
    row = db.get_one(ServiceRequest, response.json()["id"])
    hearing = row.hearing_at
    assert hearing is not None
    aware = hearing if hearing.tzinfo else hearing.replace(tzinfo=UTC)
    assert aware == datetime(2026, 10, 9, 1, 30, tzinfo=UTC)
    assert row.accepted_on == date(2026, 9, 1) and row.pronounced_on is None
    shown = client.get(f"/v1/service-requests/{row.id}", headers=case_system).json()
    assert (
        shown["hearing_at"].startswith("2026-10-09T01:30") and shown["accepted_on"] == "2026-09-01"
    )
    assert shown["deadline"] == {"latest_on": "2026-10-06", "rule": "hearing_notice",
                                 "article": "CPL 139", "rule_version": "2026.12-d1",
                                 "confirmed": True, "at_risk": []}  # fmt: skip


def test_no_dates_no_deadline(client: TestClient, case_system: dict[str, str]) -> None:
    response = client.post("/v1/service-requests", json=valid_body(), headers=case_system)
    shown = client.get(f"/v1/service-requests/{response.json()['id']}", headers=case_system)
    assert shown.json()["deadline"] is None and shown.json()["hearing_at"] is None


def test_a_hearing_without_an_offset_is_refused(
    client: TestClient, case_system: dict[str, str]
) -> None:
    body = valid_body() | {"hearing_at": "2026-10-09T09:30:00"}
    response = client.post("/v1/service-requests", json=body, headers=case_system)
    assert response.status_code == 422 and "hearing_at" in response.text


def test_a_hearing_before_acceptance_is_refused(
    client: TestClient, case_system: dict[str, str]
) -> None:
    body = valid_body() | {"hearing_at": "2026-08-31T09:30:00+08:00", "accepted_on": "2026-09-01"}
    response = client.post("/v1/service-requests", json=body, headers=case_system)
    assert response.status_code == 422 and "hearing_at lies before accepted_on" in response.text


def test_moving_the_hearing_needs_temporal_first(
    client: TestClient, case_system: dict[str, str], db: Session
) -> None:
    body = valid_body() | {"hearing_at": "2026-10-09T09:30:00+08:00", "accepted_on": "2026-09-01"}
    request_id = client.post("/v1/service-requests", json=body, headers=case_system).json()["id"]
    moved = {"hearing_at": "2026-10-20T09:30:00+08:00"}
    answer = client.put(f"/v1/service-requests/{request_id}/hearing", json=moved,
                        headers=case_system)  # fmt: skip
    # Temporal is unreachable here: refused before anything changes, so no party misses it.
    assert answer.status_code == 503
    db.expire_all()
    row = db.get_one(ServiceRequest, request_id)
    stored = row.hearing_at
    assert stored is not None
    assert (stored if stored.tzinfo else stored.replace(tzinfo=UTC)).day == 9
    naive = client.put(f"/v1/service-requests/{request_id}/hearing",
                       json={"hearing_at": "2026-10-20T09:30:00"}, headers=case_system)  # fmt: skip
    assert naive.status_code == 422

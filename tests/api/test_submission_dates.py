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


def test_a_hearing_without_an_offset_is_refused(
    client: TestClient, case_system: dict[str, str]
) -> None:
    body = valid_body() | {"hearing_at": "2026-10-09T09:30:00"}
    response = client.post("/v1/service-requests", json=body, headers=case_system)
    assert response.status_code == 422 and "hearing_at" in response.text

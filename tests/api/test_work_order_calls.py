"""Call attempts: recorded by hand, counted with the CTI's, and the rule before unreachable."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.work_orders.calls import call_attempts_summary
from domain.pure.clock import BEIJING
from domain.pure.work_order_rules import call_period, unreachable_violation
from domain.settings import Settings
from domain.tables.core import Party, ServiceTask, WorkOrder
from domain.tables.people import CallAttempt
from tests.api.conftest import auth, make_token
from tests.api.test_work_orders import PHONE, seed_order
from tests.api.work_order_support import backend_settings


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """The tests run on SQLite and on PostgreSQL (time zones and row locks differ)."""
    with backend_settings(request.param, tmp_path) as configured:
        yield configured


def beijing(hour: int, day: int = 2) -> datetime:
    """Returns an instant on 2026-12-<day> at the given Beijing hour."""
    return datetime(2026, 12, day, hour, 5, tzinfo=BEIJING)


def call(client: TestClient, order: WorkOrder, headers: dict[str, str], hour: int) -> int:
    """Records a no-answer call at a Beijing hour; returns the status code."""
    body = {"started_at": beijing(hour).isoformat(), "result": "no_answer"}
    return client.post(f"/v1/work-orders/{order.id}/calls", json=body, headers=headers).status_code


def unreachable(client: TestClient, order: WorkOrder, headers: dict[str, str]) -> dict[str, str]:
    """Posts the unreachable outcome; returns the status and the first message."""
    response = client.post(
        f"/v1/work-orders/{order.id}/outcome", json={"outcome": "unreachable"}, headers=headers
    )
    detail = response.json()["detail"]
    first = detail[0]["msg"] if isinstance(detail, list) else str(detail)
    return {"status": str(response.status_code), "message": first}


@pytest.mark.parametrize(
    ("hour", "period"),
    [(7, None), (8, "morning"), (11, "morning"), (12, "afternoon"), (18, "evening"), (21, None)],
)
def test_periods_of_the_day_in_beijing(hour: int, period: str | None) -> None:
    assert call_period(beijing(hour)) == period


def test_rule_names_what_is_missing() -> None:
    two_mornings = unreachable_violation([beijing(9), beijing(10)], min_attempts=3, min_periods=2)
    assert two_mornings is not None
    assert "1 more call attempt" in two_mornings.message
    assert "1 more period" in two_mornings.message
    spread = [beijing(9), beijing(14), beijing(19)]
    assert unreachable_violation(spread, min_attempts=3, min_periods=2) is None


def test_unreachable_needs_calls_in_two_periods(client: TestClient, db: Session) -> None:
    order = seed_order(db)
    clerk = auth(make_token(db, "clerk-wang", "clerk"))
    for hour in (9, 10, 11):
        assert call(client, order, clerk, hour) == 201
    refused = unreachable(client, order, clerk)
    assert refused["status"] == "422"
    assert "period" in refused["message"] and "attempt" not in refused["message"]
    # The virtual line's call in the evening counts as well.
    db.add(CallAttempt(
        work_order_id=order.id, result="busy", started_at=beijing(19).astimezone(UTC), source="cti",
        cti_call_id="cti-1",
    ))  # fmt: skip
    # A call placed through the virtual line but not fetched yet proves nothing.
    db.add(CallAttempt(work_order_id=order.id, started_at=beijing(14).astimezone(UTC),
                       source="cti", cti_call_id="cti-2"))  # fmt: skip
    db.commit()
    # Rules met: the request goes on to Temporal, which is not reachable in these tests.
    assert unreachable(client, order, clerk)["status"] == "503"
    summary = client.get(f"/v1/work-orders/{order.id}/calls", headers=clerk).json()
    assert summary["attempts"] == 4 and summary["unreachable_allowed"] is True
    assert summary["periods"] == ["evening", "morning"] and summary["pending"] == 1
    assert summary["by_result"] == {"no_answer": 3, "busy": 1}
    listed = client.get("/v1/work-orders", headers=clerk).json()["items"]
    assert listed[0]["call_attempts"] == 4


def test_summary_function_for_the_console(db: Session) -> None:
    order = seed_order(db)
    summary = call_attempts_summary(db, order.id)
    assert summary.attempts == 0 and not summary.unreachable_allowed
    assert "3 more call attempt" in summary.missing


def test_calls_are_checked(client: TestClient, db: Session) -> None:
    order = seed_order(db)
    clerk = auth(make_token(db, "clerk-wang", "clerk"))
    path = f"/v1/work-orders/{order.id}/calls"
    bad_result = {"started_at": beijing(9).isoformat(), "result": "maybe"}
    assert client.post(path, json=bad_result, headers=clerk).status_code == 422
    garbled = {"started_at": "yesterday morning", "result": "busy"}
    assert client.post(path, json=garbled, headers=clerk).status_code == 422
    naive = {"started_at": "2026-12-02T19:30:00", "result": "busy"}  # a datetime-local field
    assert client.post(path, json=naive, headers=clerk).status_code == 201
    periods = client.get(path, headers=clerk).json()["periods"]
    assert periods == ["evening"]  # read as Beijing time
    backwards = {"started_at": beijing(10).isoformat(), "ended_at": beijing(9).isoformat(),
                 "result": "answered"}  # fmt: skip
    assert client.post(path, json=backwards, headers=clerk).status_code == 422
    judge = auth(make_token(db, "judge-zhang", "judge"))
    assert call(client, order, judge, 9) == 403
    closed = seed_order(db, status="closed")
    direct = seed_order(db, kind="direct")
    assert call(client, closed, clerk, 9) == 409
    assert call(client, direct, clerk, 9) == 409


def test_bad_new_number_is_422_and_nothing_changes(client: TestClient, db: Session) -> None:
    order = seed_order(db)
    clerk = auth(make_token(db, "clerk-wang", "clerk"))
    body = {"outcome": "reached_consented", "phone": "12345"}
    response = client.post(f"/v1/work-orders/{order.id}/outcome", json=body, headers=clerk)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "phone"
    task = db.get_one(ServiceTask, order.task_id)
    db.refresh(db.get_one(Party, task.party_id))
    assert db.get_one(Party, task.party_id).phones == [PHONE]

"""Issue 12, item 1 at the API: the act's time is checked before anything is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.work_orders.bodies import OutcomeIn
from api.work_orders.outcomes import act_time
from domain.tables.core import WorkOrder
from domain.tables.people import CallAttempt
from tests.api.conftest import auth, make_token
from tests.api.test_work_orders import seed_order


def service(at: datetime) -> dict[str, Any]:
    """Returns a direct-service record of an act at the given instant."""
    return {"place": "天津市河西区友谊路1号", "at": at.isoformat(), "recipient": "张三",
            "relation": "self"}  # fmt: skip


@pytest.fixture
def bailiff(db: Session) -> dict[str, str]:
    """Headers of a clerk of court J12 doing direct service."""
    return auth(make_token(db, "bailiff-act", "clerk"))


@pytest.mark.parametrize(
    ("shift", "words"), [(timedelta(hours=2), "future"), (timedelta(days=-3), "opened")]
)
def test_a_bailiffs_time_outside_the_order_is_refused(
    client: TestClient, db: Session, bailiff: dict[str, str], shift: timedelta, words: str
) -> None:
    """service.at in the future or before the order opened: 422 naming it, nothing stored."""
    order = seed_order(db, kind="direct")
    body = {"outcome": "served_in_person", "service": service(datetime.now(UTC) + shift)}
    response = client.post(f"/v1/work-orders/{order.id}/outcome", json=body, headers=bailiff)
    assert response.status_code == 422
    problems = {item["field"]: item["msg"] for item in response.json()["detail"]}
    assert words in problems["service.at"]
    db.refresh(order)
    assert order.details == {} and order.status == "open"


def test_a_clerks_call_time_in_the_future_is_refused(
    client: TestClient, db: Session, bailiff: dict[str, str]
) -> None:
    """A phone outcome's `at` (the call) may not lie in the future either."""
    order = seed_order(db)
    body = {
        "outcome": "reached_consented",
        "at": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
    }
    response = client.post(f"/v1/work-orders/{order.id}/outcome", json=body, headers=bailiff)
    assert response.status_code == 422
    assert "at" in {item["field"] for item in response.json()["detail"]}


def test_the_act_is_the_bailiffs_time_or_the_answered_call(db: Session) -> None:
    """The act sent to the workflow: service.at, else `at`, else the last answered call."""
    direct = seed_order(db, kind="direct")
    when = datetime.now(UTC) - timedelta(minutes=5)
    body = OutcomeIn.model_validate({"outcome": "served_in_person", "service": service(when)})
    assert act_time(db, direct, body) == when
    phone = seed_order(db)
    answered = datetime.now(UTC) - timedelta(minutes=3)
    db.add_all([
        CallAttempt(work_order_id=phone.id, result="answered", started_at=answered),
        CallAttempt(work_order_id=phone.id, result="no_answer",
                    started_at=answered + timedelta(minutes=1)),
    ])  # fmt: skip
    db.commit()
    reached = OutcomeIn.model_validate({"outcome": "reached_consented"})
    assert act_time(db, db.get_one(WorkOrder, phone.id), reached) == answered

"""Issue 12, item 9 (part): a date in a year the calendar does not know is provisional, and ops
are told until the year's data exists."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from domain.tables.core import ServiceTask, TimelineEvent
from tests.api.conftest import auth, make_token
from tests.api.test_work_orders import seed_task


def publish(db: Session, task: ServiceTask, issued: str, effective: str, calendar: str) -> None:
    """Records the notice the workflow published, as its trail writes it."""
    db.add(TimelineEvent(task_id=task.id, event_key=f"{task.id}:7", seq=7, at=datetime.now(UTC),
                         legal_date=date.fromisoformat(issued), step="public_notice",
                         kind="notice_published", detail={"issued_on": issued,
                         "effective_on": effective, "calendar": calendar}))  # fmt: skip
    task.step, task.status = "public_notice", "serving"
    db.commit()


def test_a_notice_into_2027_is_provisional_and_alerts_ops(client: TestClient, db: Session) -> None:
    """The task shows provisional: true; /v1/ops/stuck lists calendar_missing naming 2027."""
    task = seed_task(db)
    publish(db, task, "2026-12-20", "2027-01-19", "unconfirmed (provisional)")
    judge = auth(make_token(db, "judge-c", "judge"))
    body = client.get(f"/v1/service-requests/{task.request_id}", headers=judge).json()
    assert body["tasks"][0]["provisional"] is True
    ops = auth(make_token(db, "ops-c", "ops", court=None))
    items = client.get("/v1/ops/stuck", headers=ops).json()["items"]
    missing = [i for i in items if i["kind"] == "calendar_missing"]
    assert [i["task_id"] for i in missing] == [task.id]
    assert "2027" in missing[0]["reason"]


def test_a_confirmed_date_is_not_provisional(client: TestClient, db: Session) -> None:
    """Within the years the calendar knows nothing is flagged."""
    task = seed_task(db)
    publish(db, task, "2026-09-01", "2026-10-08", "confirmed")
    judge = auth(make_token(db, "judge-d", "judge"))
    body = client.get(f"/v1/service-requests/{task.request_id}", headers=judge).json()
    assert body["tasks"][0]["provisional"] is False
    ops = auth(make_token(db, "ops-d", "ops", court=None))
    items = client.get("/v1/ops/stuck", headers=ops).json()["items"]
    assert [i for i in items if i["kind"] == "calendar_missing"] == []

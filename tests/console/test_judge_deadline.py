"""The judge's case page against the hearing, and the stuck list's deadline_risk (issue 17)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from domain.tables.core import Document, ServiceRequest, ServiceTask, TimelineEvent
from tests.api.conftest import auth, make_token
from tests.api.test_work_orders import seed_task
from tests.console.conftest import login

STEPS = [{"step": "electronic", "wait_days": 3.0}, {"step": "phone", "wait_days": 3.0},
         {"step": "mail", "wait_days": 10.0}, {"step": "direct", "wait_days": 5.0}]  # fmt: skip


def _seed(db: Session, hearing_in_days: int) -> ServiceTask:
    task = seed_task(db, status="serving")
    task.step = "electronic"
    request = db.get_one(ServiceRequest, task.request_id)
    request.handler = "judge-zhang"
    request.hearing_at = datetime.now(UTC) + timedelta(days=hearing_in_days)
    db.add(Document(request_id=request.id, position=0, kind="summons", title="传票",
                    media_type="application/pdf", sha256="0" * 64, bytes=1))  # fmt: skip
    db.add(TimelineEvent(task_id=task.id, event_key=f"{task.id}:plan", seq=0, kind="plan",
                         at=datetime.now(UTC), detail={"steps": STEPS}))  # fmt: skip
    db.commit()
    return task


def test_a_party_at_risk_shows_the_banner_and_the_remedies(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    task = _seed(db, hearing_in_days=5)
    login(app_client, "judge-zhang")
    page = app_client.get(f"/console/judge/requests/{task.request_id}").text
    assert "送达期限预警" in page and "可能逾期" in page
    assert "民诉法第139条" in page and "直接送达" in page and "变更开庭日期" in page


def test_a_party_in_time_shows_its_projection_without_a_banner(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    task = _seed(db, hearing_in_days=60)
    login(app_client, "judge-zhang")
    page = app_client.get(f"/console/judge/requests/{task.request_id}").text
    assert "送达期限" in page and "预计按期" in page and "送达期限预警" not in page


def test_a_warned_open_task_is_listed_as_stuck(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    task = _seed(db, hearing_in_days=5)
    db.add(TimelineEvent(task_id=task.id, event_key=f"{task.id}:risk", seq=3,
                         kind="deadline_risk", at=datetime.now(UTC),
                         detail={"latest_on": "2026-12-08", "projected_on": "2026-12-12",
                                 "article": "CPL 139"}))  # fmt: skip
    db.commit()
    ops = auth(make_token(db, "ops-risk", "ops", court=None))
    items = app_client.get("/v1/ops/stuck", headers=ops).json()["items"]
    risks = [i for i in items if i["kind"] == "deadline_risk"]
    assert [r["task_id"] for r in risks] == [task.id]
    assert "2026-12-12" in risks[0]["reason"] and "张三" not in str(risks)
    task.status = "served"
    db.commit()
    items = app_client.get("/v1/ops/stuck", headers=ops).json()["items"]
    assert not [i for i in items if i["kind"] == "deadline_risk"]


def test_the_judge_sends_a_party_at_risk_to_direct_service(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    task = _seed(db, hearing_in_days=5)
    csrf = login(app_client, "judge-zhang")
    page = app_client.get(f"/console/judge/requests/{task.request_id}").text
    action = f"/console/judge/requests/{task.request_id}/tasks/{task.id}/direct"
    assert action in page and "直接送达</button>" in page
    refused = app_client.post(action, data={})
    assert refused.status_code == 403  # no CSRF token
    # Temporal is unreachable in these tests: the signal cannot be sent, and the page says so.
    answer = app_client.post(action, data={"csrf_token": csrf})
    assert answer.status_code == 503 and "直接送达" not in answer.text

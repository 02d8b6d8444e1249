"""Work orders and task routes that answer without Temporal: views, scope, 404/409/422."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.tables.core import (
    Court,
    Party,
    ServiceRequest,
    ServiceTask,
    TimelineEvent,
    User,
    WorkOrder,
)
from tests.api.conftest import auth, make_token

PHONE = "13800000002"
ADDRESS = "天津市河西区友谊路1号"


def seed_task(db: Session, status: str = "waiting_human") -> ServiceTask:
    """Stores a request of court J12 with one person and its task."""
    if db.get(Court, "J12") is None:
        db.add(Court(code="J12", name="天津市河西区人民法院"))
    owner = db.scalars(select(User).where(User.name == "owner")).first()
    if owner is None:
        owner = User(name="owner", role="case_system", court_code="J12")
        db.add(owner)
    db.flush()
    request = ServiceRequest(
        client_id=owner.id, external_id=f"ext-{datetime.now(UTC).timestamp()}", court_code="J12",
        case_number="（2026）津0103民初1234号", procedure="simplified",
    )  # fmt: skip
    db.add(request)
    db.flush()
    party = Party(
        request_id=request.id, position=0, ref="P1", name="张三", kind="person",
        role="defendant", id_number="11010119950612101X", phones=[PHONE],
        addresses=[{"text": ADDRESS, "postcode": "300000"}],
    )  # fmt: skip
    db.add(party)
    db.flush()
    task = ServiceTask(
        request_id=request.id, party_id=party.id, position=0, party_ref="P1",
        workflow_id=f"svc-{request.id}-P1", status=status, step="phone",
    )  # fmt: skip
    db.add(task)
    db.commit()
    return task


def seed_order(db: Session, status: str = "open", kind: str = "phone") -> WorkOrder:
    """Stores a work order on a fresh task."""
    task = seed_task(db)
    order = WorkOrder(
        task_id=task.id, order_key=f"{task.workflow_id}-1", court_code="J12", kind=kind,
        status=status, due_at=datetime.now(UTC) + timedelta(days=1),
    )  # fmt: skip
    db.add(order)
    db.commit()
    return order


def test_clerk_sees_phone_and_address_in_full(client: TestClient, db: Session) -> None:
    seed_order(db)
    clerk = auth(make_token(db, "clerk-wang", "clerk"))
    items = client.get("/v1/work-orders", params={"kind": "phone"}, headers=clerk).json()["items"]
    assert len(items) == 1
    party = items[0]["party"]
    assert party["phones"] == [PHONE]
    assert party["addresses"][0]["text"] == ADDRESS
    assert "id_number" not in party
    assert "11010119950612101X" not in str(items)


def test_ops_sees_masked_values_only(client: TestClient, db: Session) -> None:
    seed_order(db)
    ops = auth(make_token(db, "ops-li", "ops", court=None))
    response = client.get("/v1/work-orders", headers=ops)
    party = response.json()["items"][0]["party"]
    assert party["phones"] == ["138****0002"]
    assert party["name"] == "张*"
    assert PHONE not in response.text and ADDRESS not in response.text


def test_other_courts_orders_are_hidden(client: TestClient, db: Session) -> None:
    order = seed_order(db)
    clerk = auth(make_token(db, "clerk-far", "clerk", court="J13"))
    assert client.get("/v1/work-orders", headers=clerk).json()["items"] == []
    response = client.post(
        f"/v1/work-orders/{order.id}/outcome", json={"outcome": "refused"}, headers=clerk
    )
    assert response.status_code == 404


def test_status_filter(client: TestClient, db: Session) -> None:
    seed_order(db, status="closed")
    clerk = auth(make_token(db, "clerk-wang", "clerk"))
    assert client.get("/v1/work-orders", headers=clerk).json()["items"] == []
    closed = client.get("/v1/work-orders", params={"status": "closed"}, headers=clerk).json()
    assert len(closed["items"]) == 1


@pytest.mark.parametrize(
    ("status", "kind", "outcome", "expected"),
    [
        ("closed", "phone", "refused", 409),
        ("open", "phone", "served_in_person", 422),
        ("open", "direct", "reached_consented", 422),
    ],
)
def test_outcome_checks_before_temporal(
    client: TestClient, db: Session, status: str, kind: str, outcome: str, expected: int
) -> None:
    order = seed_order(db, status=status, kind=kind)
    clerk = auth(make_token(db, "clerk-wang", "clerk"))
    response = client.post(
        f"/v1/work-orders/{order.id}/outcome", json={"outcome": outcome}, headers=clerk
    )
    assert response.status_code == expected
    if expected == 422:
        assert response.json()["detail"][0]["field"] == "outcome"


def test_unknown_work_order_is_404(client: TestClient, db: Session) -> None:
    clerk = auth(make_token(db, "clerk-wang", "clerk"))
    response = client.post("/v1/work-orders/nope/outcome", json={"outcome": "x"}, headers=clerk)
    assert response.status_code == 404


def test_timeline_is_ordered_by_seq(client: TestClient, db: Session) -> None:
    task = seed_task(db)
    now = datetime.now(UTC)
    for seq, kind in [(2, "sms_sent"), (1, "plan")]:
        db.add(TimelineEvent(
            task_id=task.id, event_key=f"{task.workflow_id}-{seq}", seq=seq, at=now,
            step="electronic", kind=kind, detail={"n": seq},
        ))  # fmt: skip
    db.commit()
    owner_token = make_token(db, "judge-zhang", "judge")
    body = client.get(f"/v1/tasks/{task.id}/timeline", headers=auth(owner_token)).json()
    assert body["task_id"] == task.id
    assert [item["kind"] for item in body["items"]] == ["plan", "sms_sent"]
    assert set(body["items"][0]) >= {"at", "legal_date", "step", "kind", "detail"}


@pytest.mark.parametrize("action", ["retry", "skip-step"])
def test_control_of_a_finished_task_is_409(client: TestClient, db: Session, action: str) -> None:
    task = seed_task(db, status="served")
    ops = auth(make_token(db, "ops-li", "ops"))
    assert client.post(f"/v1/tasks/{task.id}/{action}", headers=ops).status_code == 409
    assert client.post(f"/v1/tasks/nope/{action}", headers=ops).status_code == 404


def test_contacts_are_validated_like_a_submission(client: TestClient, db: Session) -> None:
    task = seed_task(db)
    clerk = auth(make_token(db, "clerk-wang", "clerk"))
    url = f"/v1/tasks/{task.id}/contacts"
    bad = client.post(url, json={"phones": ["1234"], "emails": ["x"]}, headers=clerk)
    assert bad.status_code == 422
    assert {item["field"] for item in bad.json()["detail"]} == {"phones[0]", "emails[0]"}
    assert client.post(url, json={}, headers=clerk).status_code == 422
    party = db.get_one(Party, task.party_id)
    db.refresh(party)
    assert party.phones == [PHONE]


def test_contacts_of_a_finished_task_are_409(client: TestClient, db: Session) -> None:
    task = seed_task(db, status="served")
    clerk = auth(make_token(db, "clerk-wang", "clerk"))
    response = client.post(
        f"/v1/tasks/{task.id}/contacts", json={"phones": ["13900000004"]}, headers=clerk
    )
    assert response.status_code == 409

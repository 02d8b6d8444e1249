"""Who holds a work order: claim, assign, reassign, release, the refusals, the audit and filters."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.access.accounts import create_user
from api.errors import Conflict, NotFound
from api.work_orders.assignment import claim_work_order
from api.work_orders.service import get_work_order
from domain.settings import Settings
from domain.store.db import make_session_factory
from domain.tables.core import User, WorkOrder
from domain.tables.trust import AuditEntry
from tests.api.conftest import auth, make_token
from tests.api.test_work_orders import seed_order
from tests.api.work_order_support import backend_settings


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """The tests run on SQLite and on PostgreSQL (time zones and row locks differ)."""
    with backend_settings(request.param, tmp_path) as configured:
        yield configured


def url(order: WorkOrder, action: str) -> str:
    """Returns the route of an action on the order."""
    return f"/v1/work-orders/{order.id}/{action}"


def holder(db: Session, order: WorkOrder) -> str | None:
    """Returns the id of the user holding the order, fresh from the database."""
    db.expire_all()
    return db.get_one(WorkOrder, order.id).assignee_id


def test_clerk_claims_and_second_clerk_is_refused(client: TestClient, db: Session) -> None:
    order = seed_order(db)
    wang = auth(make_token(db, "clerk-wang", "clerk"))
    li = auth(make_token(db, "clerk-li", "clerk"))
    claimed = client.post(url(order, "claim"), headers=wang)
    assert claimed.status_code == 200
    assert claimed.json()["assignee"] == "clerk-wang"
    assert client.post(url(order, "claim"), headers=wang).status_code == 200  # idempotent
    refused = client.post(url(order, "claim"), headers=li)
    assert refused.status_code == 409
    assert "another clerk" in refused.json()["detail"]
    assert client.post(url(order, "release"), headers=li).status_code == 409
    released = client.post(url(order, "release"), headers=wang)
    assert released.status_code == 200 and released.json()["assignee"] is None
    assert client.post(url(order, "claim"), headers=li).json()["assignee"] == "clerk-li"


def test_closed_order_cannot_be_claimed_or_assigned(client: TestClient, db: Session) -> None:
    order = seed_order(db, status="closed")
    make_token(db, "clerk-li", "clerk")
    wang = auth(make_token(db, "clerk-wang", "clerk"))
    boss = auth(make_token(db, "boss-zhao", "supervisor"))
    assert client.post(url(order, "claim"), headers=wang).status_code == 409
    body = {"assignee": "clerk-li"}
    assert client.post(url(order, "assign"), json=body, headers=boss).status_code == 409
    assert client.post(url(order, "release"), headers=boss).status_code == 409


def test_supervisor_assigns_and_reassigns(client: TestClient, db: Session) -> None:
    order = seed_order(db)
    wang = auth(make_token(db, "clerk-wang", "clerk"))
    li_token = make_token(db, "clerk-li", "clerk")
    boss = auth(make_token(db, "boss-zhao", "supervisor"))
    client.post(url(order, "claim"), headers=wang)
    moved = client.post(url(order, "assign"), json={"assignee": "clerk-li"}, headers=boss)
    assert moved.status_code == 200 and moved.json()["assignee"] == "clerk-li"
    mine = client.get("/v1/work-orders", params={"assignee": "me"}, headers=auth(li_token))
    assert [item["id"] for item in mine.json()["items"]] == [order.id]
    assert client.get("/v1/work-orders", params={"assignee": "me"}, headers=wang).json() == {
        "items": []
    }
    actions = db.scalars(
        select(AuditEntry.action).where(AuditEntry.target == order.id).order_by(AuditEntry.seq)
    ).all()
    assert actions == ["work_order.claim", "work_order.assign"]


def test_cross_court_supervisor_assigns(client: TestClient, db: Session) -> None:
    order = seed_order(db)
    make_token(db, "clerk-li", "clerk")
    chief = auth(make_token(db, "chief", "supervisor", court=None))
    response = client.post(url(order, "assign"), json={"assignee": "clerk-li"}, headers=chief)
    assert response.status_code == 200


def test_assignee_must_be_an_active_clerk_of_the_court(client: TestClient, db: Session) -> None:
    order = seed_order(db)
    boss = auth(make_token(db, "boss-zhao", "supervisor"))
    make_token(db, "clerk-far", "clerk", court="J13")
    make_token(db, "judge-zhang", "judge")
    gone = create_user(session=db, name="clerk-gone", role="clerk", court_code="J12")
    gone.disabled_at = datetime.now(UTC)
    db.commit()
    for name in ("clerk-far", "judge-zhang", "clerk-gone", "nobody"):
        response = client.post(url(order, "assign"), json={"assignee": name}, headers=boss)
        assert response.status_code == 422, name
        assert response.json()["detail"][0]["field"] == "assignee"
    assert holder(db, order) is None
    refused = db.scalars(select(AuditEntry).where(AuditEntry.outcome == "refused")).all()
    assert len(refused) == 4


def test_roles_are_refused(client: TestClient, db: Session) -> None:
    order = seed_order(db)
    make_token(db, "clerk-li", "clerk")
    judge = auth(make_token(db, "judge-zhang", "judge"))
    clerk = auth(make_token(db, "clerk-wang", "clerk"))
    boss = auth(make_token(db, "boss-zhao", "supervisor"))
    far = auth(make_token(db, "clerk-far", "clerk", court="J13"))
    assert client.post(url(order, "claim"), headers=judge).status_code == 403
    assert client.post(url(order, "claim"), headers=boss).status_code == 403
    body = {"assignee": "clerk-li"}
    assert client.post(url(order, "assign"), json=body, headers=clerk).status_code == 403
    assert client.post(url(order, "claim"), headers=far).status_code == 404
    assert holder(db, order) is None


def test_queue_filters_and_extras(client: TestClient, db: Session) -> None:
    late = seed_order(db)
    late.due_at = datetime.now(UTC) - timedelta(hours=1)
    late.reminded_at = datetime.now(UTC) - timedelta(days=1)
    db.commit()
    fresh = seed_order(db)
    wang = auth(make_token(db, "clerk-wang", "clerk"))
    boss = auth(make_token(db, "boss-zhao", "supervisor"))
    client.post(url(fresh, "claim"), headers=wang)
    overdue = client.get("/v1/work-orders", params={"overdue": "true"}, headers=boss).json()
    assert [i["id"] for i in overdue["items"]] == [late.id]
    item = overdue["items"][0]
    assert item["overdue"] is True and item["assignee"] is None
    assert item["reminded_at"] is not None and item["escalated_at"] is None
    assert item["call_attempts"] == 0
    free = client.get("/v1/work-orders", params={"assignee": "unassigned"}, headers=boss).json()
    assert [i["id"] for i in free["items"]] == [late.id]
    held = client.get("/v1/work-orders", params={"assignee": "clerk-wang"}, headers=boss).json()
    assert [(i["id"], i["assignee"], i["overdue"]) for i in held["items"]] == [
        (fresh.id, "clerk-wang", False)
    ]


def test_two_clerks_claiming_at_once_one_wins(
    db: Session, engine: Engine, settings: Settings
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no row locks; PostgreSQL is what production runs")
    order = seed_order(db)
    clerks = [create_user(session=db, name=n, role="clerk", court_code="J12") for n in ("a", "b")]
    start = threading.Barrier(2)
    results: list[str] = []

    def claim(user_id: str) -> None:
        with make_session_factory(engine)() as session:
            user = session.get_one(User, user_id)
            start.wait()
            try:
                claim_work_order(session=session, user=user, order_id=order.id)
                results.append("ok")
            except Conflict:
                results.append("conflict")

    threads = [threading.Thread(target=claim, args=(c.id,)) for c in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["conflict", "ok"]


def test_one_order_with_its_holder(db: Session, settings: Settings) -> None:
    order = seed_order(db)
    wang = create_user(session=db, name="clerk-wang", role="clerk", court_code="J12")
    claim_work_order(session=db, user=wang, order_id=order.id)
    one = get_work_order(session=db, user=wang, order_id=order.id, ring=settings.key_ring)
    assert one.assignee == "clerk-wang" and one.party.phones
    far = create_user(session=db, name="clerk-far", role="clerk", court_code="J13")
    with pytest.raises(NotFound):
        get_work_order(session=db, user=far, order_id=order.id, ring=settings.key_ring)

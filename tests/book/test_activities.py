"""The trail and work-order activities feed the book in their own transactions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.trail import TrailActivities
from activities.work_orders import WorkOrderActivities
from domain.crypto.keyring import KeyRing
from domain.pure.activity_io import CloseWorkOrderInput, PlanInput, ProgressInput
from domain.pure.ladder import Clock
from domain.store.db import make_session_factory
from domain.tables.core import (
    ConsentRecord,
    ContactPoint,
    Party,
    ServiceTask,
    TimelineEvent,
    WorkOrder,
)
from tests.book.conftest import ADDRESS, CASE_1, NOW, PHONE, Cases


def make_task(engine: Engine, **fields: object) -> tuple[sessionmaker[Session], str]:
    """Commits a request with one party and its task; returns the factory and the task id."""
    factory = make_session_factory(engine)
    with factory() as session:
        cases = Cases(session)
        request = cases.request(CASE_1)
        task = cases.task(request, cases.party(request, **fields))
        session.commit()
        return factory, task.id


def plan_input(task_id: str) -> PlanInput:
    return PlanInput(task_id, f"svc-{task_id}", Clock(), NOW.isoformat(), "2026-11-28")


def test_plan_service_links_the_party_and_remembers_its_contacts(
    engine: Engine, ring: KeyRing
) -> None:
    factory, task_id = make_task(
        engine, phones=[PHONE], addresses=[{"text": ADDRESS}], consent_electronic=True
    )
    ActivityEnvironment().run(TrailActivities(factory, ring).plan_service, plan_input(task_id))
    with factory() as session:
        party = session.get_one(ServiceTask, task_id).party
        assert party.identity_id is not None
        assert len(session.scalars(select(ContactPoint)).all()) == 2
        assert session.scalars(select(ConsentRecord)).one().case_number == CASE_1
        assert session.scalars(select(TimelineEvent.kind)).all() == ["plan"]


def test_record_progress_learns_when_the_task_finishes(engine: Engine, ring: KeyRing) -> None:
    factory, task_id = make_task(engine, phones=[PHONE], consent_electronic=True)
    trail = TrailActivities(factory, ring)
    env = ActivityEnvironment()
    env.run(trail.plan_service, plan_input(task_id))
    with factory() as session:
        task = session.get_one(ServiceTask, task_id)
        Cases(session).attempt(task, "phone0s", "delivered")
        session.commit()
    at = (NOW + timedelta(hours=1)).isoformat()
    finished = ProgressInput(
        task_id,
        "svc:run:9",
        9,
        at,
        "2026-11-28",
        "electronic",
        "finished",
        {"status": "served"},
        status="served",
        method="electronic",
        served_on="2026-11-28",
    )
    env.run(trail.record_progress, finished)
    env.run(trail.record_progress, finished)  # a retried activity: the event exists already
    with factory() as session:
        point = session.scalars(select(ContactPoint)).one()
        assert (point.successes, point.last_success_case) == (1, CASE_1)


def test_close_work_order_records_the_clerks_consent(engine: Engine, ring: KeyRing) -> None:
    factory, task_id = make_task(engine, phones=[PHONE])
    with factory() as session:
        order = WorkOrder(
            task_id=task_id, order_key="k", court_code="J12", kind="phone", due_at=NOW
        )
        session.add(order)
        session.commit()
        order_id = order.id
    orders = WorkOrderActivities(factory, ring)
    ActivityEnvironment().run(
        orders.close_work_order, CloseWorkOrderInput(order_id, "reached_consented", "", "clerk")
    )
    with factory() as session:
        consent = session.scalars(select(ConsentRecord)).one()
        assert consent.kind == "clerk_recorded"
        assert consent.evidence == f"recorded call, work order {order_id}"
        assert (consent.scope, consent.evidence_kind) == ("case", "recorded_call")
        party = session.scalars(select(Party)).one()
        assert party.identity_id is not None
        # A row from before the per-contact marks: its boolean stands for every contact.
        assert party.coverage is None and party.consent_electronic

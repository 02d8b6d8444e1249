"""What a closed phone order teaches the party's record and address book."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from activities.work_orders import WorkOrderActivities
from api.work_orders.bodies import OutcomeIn
from api.work_orders.outcomes import store_learned
from domain.address_book.confidence import DEAD
from domain.address_book.points import value_index
from domain.pure.activity_io import CloseWorkOrderInput
from domain.settings import Settings
from domain.store.db import make_session_factory
from domain.tables.core import ContactPoint, Party, ServiceTask
from tests.api.test_work_orders import PHONE, seed_order

GIVEN = "13900000007"


def close(engine: Engine, settings: Settings, order_id: str, outcome: str, phone: str) -> None:
    """Stores what the clerk said and closes the order as the workflow's activity does."""
    sessions = make_session_factory(engine)
    with sessions() as session:
        body = OutcomeIn(outcome=outcome, phone=phone)
        store_learned(session=session, order_id=order_id, body=body, ring=settings.key_ring)
    activities = WorkOrderActivities(sessions, settings.key_ring)
    activities.close_work_order(CloseWorkOrderInput(order_id, outcome, actor="clerk-wang"))


def point(db: Session, settings: Settings, number: str) -> ContactPoint:
    """Returns the address book's point of a mobile number."""
    index = value_index(settings.key_ring, "phone", number)
    db.expire_all()
    return db.scalars(select(ContactPoint).where(ContactPoint.value_index == index)).one()


def test_wrong_number_is_dead_and_the_given_one_is_kept(
    db: Session, engine: Engine, settings: Settings
) -> None:
    order = seed_order(db)
    close(engine, settings, order.id, "wrong_number", f"+86 {GIVEN[:3]}-{GIVEN[3:]}")
    party = db.get_one(Party, db.get_one(ServiceTask, order.task_id).party_id)
    db.refresh(party)
    assert party.phones == [PHONE, GIVEN]
    assert point(db, settings, PHONE).confidence == DEAD
    given = point(db, settings, GIVEN)
    assert given.source == "clerk" and given.confidence > 0 and given.failures == 0


def test_consent_covers_the_given_number(db: Session, engine: Engine, settings: Settings) -> None:
    order = seed_order(db)
    close(engine, settings, order.id, "reached_consented", GIVEN)
    party = db.get_one(Party, db.get_one(ServiceTask, order.task_id).party_id)
    db.refresh(party)
    assert party.consent_electronic is True
    assert point(db, settings, GIVEN).confidence > 0
    assert point(db, settings, PHONE).confidence > 0

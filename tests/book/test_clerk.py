"""What a clerk's recorded call tells the book."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.address_book.book import confidence_now, record_clerk_outcome
from domain.crypto.keyring import KeyRing
from domain.tables.core import AddressConfirmation, ConsentRecord, ContactPoint, Party, WorkOrder
from tests.book.conftest import ADDRESS, CASE_1, NOW, PHONE, Cases


def party_and_order(
    db: Session, cases: Cases, outcome: str, **fields: object
) -> tuple[Party, WorkOrder]:
    request = cases.request()
    party = cases.party(request, **fields)
    task = cases.task(request, party)
    order = WorkOrder(
        task_id=task.id,
        order_key=f"{task.id}:phone:1",
        court_code="J12",
        kind="phone",
        due_at=NOW,
        status="closed",
        outcome=outcome,
    )
    db.add(order)
    db.flush()
    return party, order


def test_reached_consented_records_the_call_as_consent(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    party, order = party_and_order(
        db, cases, "reached_consented", phones=[PHONE], repaired_phones=[ring.seal("13900000005")]
    )
    record_clerk_outcome(db, ring=ring, party=party, order=order, case_number=CASE_1, now=NOW)
    consent = db.scalars(select(ConsentRecord)).one()
    assert consent.kind == "clerk_recorded"
    assert consent.evidence == f"recorded call, work order {order.id}"
    assert consent.case_number == CASE_1
    phones = {ring.open(p.value_sealed): p.id for p in db.scalars(select(ContactPoint))}
    assert set(phones) == {PHONE, "13900000005"}
    assert sorted(consent.contact_point_ids) == sorted(phones.values())


def test_reached_address_confirmed_confirms_the_newest_address(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    party, order = party_and_order(
        db,
        cases,
        "reached_address_confirmed",
        addresses=[{"text": ADDRESS}, {"text": "天津市河西区解放南路2号"}],
    )
    record_clerk_outcome(db, ring=ring, party=party, order=order, case_number=CASE_1, now=NOW)
    confirmation = db.scalars(select(AddressConfirmation)).one()
    point = db.get_one(ContactPoint, confirmation.contact_point_id)
    assert ring.open(point.value_sealed) == "天津市河西区解放南路2号"
    assert point.source == "clerk"
    assert order.id in confirmation.evidence


def test_wrong_number_and_unreachable_are_failures_on_the_phones(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    party, order = party_and_order(db, cases, "wrong_number", phones=[PHONE, "13600000006"])
    record_clerk_outcome(db, ring=ring, party=party, order=order, case_number=CASE_1, now=NOW)
    order.outcome = "unreachable"
    record_clerk_outcome(db, ring=ring, party=party, order=order, case_number=CASE_1, now=NOW)
    points = db.scalars(select(ContactPoint)).all()
    assert len(points) == 2
    for point in points:
        assert (point.failures, point.last_failure_reason) == (2, "unreachable")
        assert 0.0 < confidence_now(point, NOW) < 0.5


def test_unanswered_and_bailiff_outcomes_change_nothing(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    for outcome in ("expired", "cancelled", "refused", "served_in_person"):
        party, order = party_and_order(db, cases, outcome, phones=[PHONE])
        record_clerk_outcome(db, ring=ring, party=party, order=order, case_number=CASE_1)
    assert db.scalar(select(func.count()).select_from(ContactPoint)) == 0

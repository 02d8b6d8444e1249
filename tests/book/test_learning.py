"""What the book learns from a task's attempts and from an in-person service."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.address_book.book import (
    confidence_now,
    learn_from_task,
    parse_reference,
    remember_submitted,
)
from domain.address_book.learn import AttemptRef
from domain.crypto.keyring import KeyRing
from domain.tables.core import ContactPoint, Party, PortalPublication, PortalReceipt, ServiceTask
from tests.book.conftest import ADDRESS, CASE_1, EMAIL, NOW, PHONE, Cases

LATER = NOW + timedelta(hours=1)


def setup_task(
    db: Session, cases: Cases, ring: KeyRing, **fields: object
) -> tuple[Party, ServiceTask]:
    request = cases.request()
    party = cases.party(request, **fields)
    remember_submitted(db, ring=ring, party=party, case_number=CASE_1, now=NOW)
    return party, cases.task(request, party)


def point(db: Session, kind: str) -> ContactPoint:
    return db.scalars(select(ContactPoint).where(ContactPoint.kind == kind)).one()


def returned(reason: str) -> list[dict[str, object]]:
    return [
        {"kind": "in_transit", "detail": {}},
        {"kind": "returned", "detail": {"reason": reason}},
    ]


def test_references_parse() -> None:
    assert parse_reference("t1:electronic:2:phone0s") == AttemptRef(
        "electronic", 2, "phone", 0, "s"
    )
    assert parse_reference("t1:mail:1:address12b") == AttemptRef("mail", 1, "address", 12, "b")
    for other in ("t1:electronic:1:phone0s:flash", "t1:repair:1", "t1:public_notice:1:notice0s"):
        assert parse_reference(other) is None


def test_delivered_at_a_consented_phone_is_a_success_counted_once(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    _, task = setup_task(db, cases, ring, phones=[PHONE], consent_electronic=True)
    attempt = cases.attempt(task, "phone0s", "delivered")
    assert learn_from_task(db, ring=ring, task=task, now=LATER) == 1
    phone = point(db, "phone")
    assert (phone.successes, phone.last_success_case) == (1, CASE_1)
    assert confidence_now(phone, LATER) > 0.5
    assert attempt.detail["learned"] is True
    assert learn_from_task(db, ring=ring, task=task, now=LATER) == 0
    assert point(db, "phone").successes == 1


def test_delivered_without_consent_waits_for_the_portal(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    _, task = setup_task(db, cases, ring, emails=[EMAIL])
    attempt = cases.attempt(task, "email0s", "delivered")
    assert learn_from_task(db, ring=ring, task=task, now=LATER) == 0
    assert "learned" not in attempt.detail
    publication = PortalPublication(
        token_sha256="0" * 64,
        reference=attempt.idempotency_key,
        court_name="court",
        case_number=CASE_1,
        party_label="张*",
        name_hmac="0" * 64,
        expires_at=LATER,
    )
    db.add(publication)
    db.flush()
    db.add(PortalReceipt(publication_id=publication.id, kind="confirmed"))
    db.flush()
    assert learn_from_task(db, ring=ring, task=task, now=LATER) == 1
    assert point(db, "email").successes == 1


@pytest.mark.parametrize(
    ("contact", "status", "events", "kind", "reason"),
    [
        ("phone0s", "undeliverable", [], "phone", "undeliverable"),
        ("email0s", "bounced", [], "email", "bounced"),
        ("address0s", "returned", returned("no_such_recipient"), "address", "no_such_recipient"),
    ],
)
def test_dead_failures(
    db: Session,
    cases: Cases,
    ring: KeyRing,
    contact: str,
    status: str,
    events: list[dict[str, object]],
    kind: str,
    reason: str,
) -> None:
    _, task = setup_task(
        db, cases, ring, phones=[PHONE], emails=[EMAIL], addresses=[{"text": ADDRESS}]
    )
    cases.attempt(task, contact, status, events=events, step="mail")
    assert learn_from_task(db, ring=ring, task=task, now=LATER) == 1
    dead = point(db, kind)
    assert (dead.failures, dead.last_failure_reason) == (1, reason)
    assert confidence_now(dead, LATER) == 0.0


def test_a_letter_left_unclaimed_only_halves(db: Session, cases: Cases, ring: KeyRing) -> None:
    _, task = setup_task(db, cases, ring, addresses=[{"text": ADDRESS}])
    cases.attempt(task, "address0s", "returned", step="mail", events=returned("unclaimed"))
    learn_from_task(db, ring=ring, task=task, now=LATER)
    assert confidence_now(point(db, "address"), LATER) == pytest.approx(0.25, abs=0.01)


def test_signed_and_refused_letters_are_successes(db: Session, cases: Cases, ring: KeyRing) -> None:
    _, task = setup_task(
        db, cases, ring, addresses=[{"text": ADDRESS}, {"text": "北京市朝阳区1号"}]
    )
    cases.attempt(task, "address0s", "signed", step="mail")
    cases.attempt(task, "address1s", "refused", step="direct")
    assert learn_from_task(db, ring=ring, task=task, now=LATER) == 2
    assert all(p.successes == 1 for p in db.scalars(select(ContactPoint)))


def test_letters_in_transit_and_flash_reminders_teach_nothing(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    _, task = setup_task(
        db, cases, ring, phones=[PHONE], addresses=[{"text": ADDRESS}], consent_electronic=True
    )
    cases.attempt(task, "address0s", "in_transit", step="mail")
    flash = cases.attempt(task, "phone0s", "delivered")
    flash.idempotency_key += ":flash"
    assert learn_from_task(db, ring=ring, task=task, now=LATER) == 0


def test_repaired_and_book_contacts_are_found_by_their_source(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    party, task = setup_task(
        db,
        cases,
        ring,
        repaired_phones=[ring.seal("13900000005")],
        learned={"phone": ["13700000007"]},
    )
    cases.attempt(task, "phone0r", "undeliverable")
    cases.attempt(task, "phone0b", "bounced")  # whatever the channel says, it failed
    assert learn_from_task(db, ring=ring, task=task, now=LATER) == 2
    by_value = {ring.open(p.value_sealed): p for p in db.scalars(select(ContactPoint))}
    assert by_value["13900000005"].source == "repaired"
    assert by_value["13700000007"].source == "observed"
    assert party.identity_id is not None


def test_a_bailiff_service_counts_for_the_one_address_used(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    _, task = setup_task(
        db, cases, ring, addresses=[{"text": ADDRESS}, {"text": "北京市朝阳区1号"}]
    )
    cases.step_started(task, "direct", "天津市河西区…")
    task.status, task.method = "served", "direct"
    assert learn_from_task(db, ring=ring, task=task, now=LATER) == 1
    served = {ring.open(p.value_sealed): p.successes for p in db.scalars(select(ContactPoint))}
    assert served == {ADDRESS: 1, "北京市朝阳区1号": 0}


def test_an_ambiguous_in_person_service_is_not_guessed(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    _, task = setup_task(db, cases, ring, addresses=[{"text": ADDRESS}, {"text": ADDRESS + "2楼"}])
    cases.step_started(task, "direct", "天津市河西区…, 天津市河西区…")
    task.status, task.method = "served", "direct"
    assert learn_from_task(db, ring=ring, task=task, now=LATER) == 0


def test_a_clerk_service_by_simple_means_counts_for_the_phone(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    _, task = setup_task(db, cases, ring, phones=[PHONE])
    cases.step_started(task, "phone", "138****0002")
    task.status, task.method = "served", "phone"
    assert learn_from_task(db, ring=ring, task=task, now=LATER) == 1
    assert point(db, "phone").successes == 1


def test_a_party_without_identity_teaches_nothing(db: Session, cases: Cases, ring: KeyRing) -> None:
    _, task = setup_task(db, cases, ring, id_number=None, phones=[PHONE], consent_electronic=True)
    cases.attempt(task, "phone0s", "delivered")
    assert learn_from_task(db, ring=ring, task=task, now=LATER) == 0

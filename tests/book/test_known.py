"""The book's view for the plan: known contacts, consent on record, learned values."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from domain.address_book.book import (
    consent_on_record,
    known_contacts,
    learn_from_task,
    remember_submitted,
    resolve_identity,
)
from domain.crypto.keyring import KeyRing
from domain.pure.ladder import Contact
from domain.store.contacts import contact_value, postcode
from tests.book.conftest import ADDRESS, CASE_1, CASE_2, EMAIL, NOW, PHONE, Cases

NEXT_YEAR = NOW + timedelta(days=365)


def first_case(db: Session, cases: Cases, ring: KeyRing) -> None:
    """Case 1: a consented phone that worked, an e-mail that bounced, a confirmed address."""
    request = cases.request(CASE_1)
    party = cases.party(
        request,
        phones=[PHONE],
        emails=[EMAIL],
        addresses=[{"text": ADDRESS}],
        consent_electronic=True,
        address_confirmed=True,
    )
    remember_submitted(db, ring=ring, party=party, case_number=CASE_1, now=NOW)
    task = cases.task(request, party)
    cases.attempt(task, "phone0s", "delivered")
    cases.attempt(task, "email0s", "bounced")
    learn_from_task(db, ring=ring, task=task, now=NOW)


def test_known_contacts_mark_in_request_and_copy_the_rest_into_learned(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    first_case(db, cases, ring)
    party = cases.party(cases.request(CASE_2), phones=["13600000006", PHONE])
    resolve_identity(db, ring=ring, party=party, now=NEXT_YEAR)
    remember_submitted(db, ring=ring, party=party, case_number=CASE_2, now=NEXT_YEAR)
    known = {k.label: k for k in known_contacts(db, ring=ring, party=party, now=NEXT_YEAR)}
    assert set(known) == {"138****0002", "136****0006", "z***@example.com", "天津市河西区…"}
    phone = known["138****0002"]
    # Case 1's consent was for case 1 only: known, proven, but not consented here (issue 12, 6).
    assert (phone.in_request, phone.index, phone.consented) == (True, 1, False)
    assert (phone.last_success_case, phone.last_success_on) == (CASE_1, "2026-11-28")
    assert 0.3 < phone.confidence < 0.5  # 0.8 a year ago, halved since
    email = known["z***@example.com"]
    assert (email.in_request, email.confidence, email.last_failure_reason) == (
        False,
        0.0,
        "bounced",
    )
    address = known["天津市河西区…"]
    assert (address.in_request, address.confirmed_address, address.source) == (
        False,
        False,
        "confirmed",
    )
    assert known["136****0006"].source == "submitted" and not known["136****0006"].consented
    assert party.learned == {"email": [EMAIL], "address": [ADDRESS]}
    assert (email.index, address.index) == (0, 0)
    book_email = Contact("email", email.index, email.label, source="book")
    assert contact_value(party, book_email) == EMAIL
    book_address = Contact("address", address.index, address.label, source="book")
    assert contact_value(party, book_address) == ADDRESS
    assert postcode(party, book_address) == ""


def test_known_contacts_twice_keep_the_same_indexes(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    first_case(db, cases, ring)
    party = cases.party(cases.request(CASE_2), learned={"address": ["北京市朝阳区1号"]})
    resolve_identity(db, ring=ring, party=party, now=NEXT_YEAR)
    once = known_contacts(db, ring=ring, party=party, now=NEXT_YEAR)
    again = known_contacts(db, ring=ring, party=party, now=NEXT_YEAR)
    assert once == again
    assert party.learned["address"] == ["北京市朝阳区1号", ADDRESS]
    assert {k.label: k.index for k in once if not k.in_request}["天津市河西区…"] == 1


def test_consent_on_record_names_the_newest_consent(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    first_case(db, cases, ring)
    party = cases.party(cases.request(CASE_1))
    assert consent_on_record(db, ring=ring, party=party) == f"2026-11-28, {CASE_1}"
    # Scoped to case 1: another case of the party has no consent on record (issue 12, 6).
    assert consent_on_record(db, ring=ring, party=cases.party(cases.request(CASE_2))) == ""
    stranger = cases.party(cases.request(CASE_2), id_number="440306199907150021")
    assert consent_on_record(db, ring=ring, party=stranger) == ""
    assert known_contacts(db, ring=ring, party=stranger, now=NOW) == ()

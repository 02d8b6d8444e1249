"""What a request brings to the book: its contacts, its consent and its confirmed addresses."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.address_book.book import remember_submitted
from domain.crypto.keyring import KeyRing
from domain.tables.core import AddressConfirmation, ConsentRecord, ContactPoint
from tests.book.conftest import ADDRESS, CASE_1, CASE_2, EMAIL, NOW, PHONE, Cases


def points_by_kind(db: Session) -> dict[str, ContactPoint]:
    return {p.kind: p for p in db.scalars(select(ContactPoint))}


def test_consent_and_confirmation_are_recorded(db: Session, cases: Cases, ring: KeyRing) -> None:
    party = cases.party(
        cases.request(),
        phones=[PHONE],
        emails=[EMAIL],
        addresses=[{"text": ADDRESS}],
        consent_electronic=True,
        address_confirmed=True,
    )
    remember_submitted(db, ring=ring, party=party, case_number=CASE_1, now=NOW)
    points = points_by_kind(db)
    assert points["phone"].source == "submitted"
    assert points["address"].source == "confirmed"
    consent = db.scalars(select(ConsentRecord)).one()
    assert consent.kind == "submitted"
    assert (consent.scope, consent.evidence_kind, consent.court_code) == (
        "case",
        "case_system",
        "J12",
    )
    assert consent.evidence == "submitted by the case system"
    assert consent.case_number == CASE_1
    assert sorted(consent.contact_point_ids) == sorted([points["phone"].id, points["email"].id])
    confirmation = db.scalars(select(AddressConfirmation)).one()
    assert confirmation.contact_point_id == points["address"].id
    assert confirmation.case_number == CASE_1


def test_no_consent_no_confirmation_without_the_flags(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    party = cases.party(cases.request(), phones=[PHONE], addresses=[{"text": ADDRESS}])
    remember_submitted(db, ring=ring, party=party, case_number=CASE_1, now=NOW)
    assert db.scalar(select(func.count()).select_from(ConsentRecord)) == 0
    assert db.scalar(select(func.count()).select_from(AddressConfirmation)) == 0
    assert len(points_by_kind(db)) == 2


def test_a_second_request_reuses_points_and_keeps_the_better_source(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    first = cases.party(
        cases.request(CASE_1), phones=[PHONE], addresses=[{"text": ADDRESS}], address_confirmed=True
    )
    remember_submitted(db, ring=ring, party=first, case_number=CASE_1, now=NOW)
    later = NOW + timedelta(days=30)
    second = cases.party(
        cases.request(CASE_2),
        id_number="11010119950612101x",
        phones=["+86 138-0000-0002"],
        emails=["ZhangSan@Example.com "],
        addresses=[{"text": "天津市河西区 友谊路1号"}],
    )
    remember_submitted(db, ring=ring, party=second, case_number=CASE_2, now=later)
    points = points_by_kind(db)
    assert len(db.scalars(select(ContactPoint)).all()) == 3
    assert points["address"].source == "confirmed"  # not stepped down to submitted
    assert ring.open(points["email"].value_sealed) == EMAIL
    assert points["phone"].last_seen_at.replace(tzinfo=later.tzinfo) == later


def test_remembering_twice_records_consent_once(db: Session, cases: Cases, ring: KeyRing) -> None:
    party = cases.party(cases.request(), phones=[PHONE], consent_electronic=True)
    remember_submitted(db, ring=ring, party=party, case_number=CASE_1, now=NOW)
    remember_submitted(db, ring=ring, party=party, case_number=CASE_1, now=NOW)
    assert db.scalar(select(func.count()).select_from(ConsentRecord)) == 1


def test_a_party_without_identity_number_is_left_out(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    party = cases.party(cases.request(), id_number=None, phones=[PHONE], consent_electronic=True)
    remember_submitted(db, ring=ring, party=party, case_number=CASE_1, now=NOW)
    assert db.scalar(select(func.count()).select_from(ContactPoint)) == 0
    assert party.identity_id is None

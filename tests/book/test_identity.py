"""Identities across cases: found by blind index, never stored in clear."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.address_book.book import identity_key, remember_submitted, resolve_identity
from domain.crypto.keyring import KeyRing
from domain.tables.core import ContactPoint, PartyIdentity
from tests.book.conftest import (
    ADDRESS,
    CASE_1,
    CASE_2,
    EMAIL,
    ID_NUMBER,
    NOW,
    OTHER_ID,
    PHONE,
    Cases,
    book_rows,
)


def test_identity_keys_by_kind(cases: Cases) -> None:
    request = cases.request()
    person = cases.party(request, id_number="110101 19950612 101x")
    org = cases.party(
        request, kind="organization", id_number=None, credit_code="91110105ma01abcd5f"
    )
    lawyer = cases.party(
        request, kind="lawyer", id_number=None, licence_number="1 1010 2009 1012345 6"
    )
    nobody = cases.party(request, id_number=None)
    broken = cases.party(request, id_number="110101200001011230")  # wrong check character
    assert identity_key(person) == ("id", ID_NUMBER)
    assert identity_key(org) == ("uscc", "91110105MA01ABCD5F")
    assert identity_key(lawyer) == ("lawyer", "11010200910123456")
    assert identity_key(nobody) is None
    assert identity_key(broken) is None


def test_same_number_differently_written_is_one_identity(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    first = cases.party(cases.request(CASE_1), id_number=ID_NUMBER)
    second = cases.party(cases.request(CASE_2), id_number="11010119950612101x", name="张三丰")
    a = resolve_identity(db, ring=ring, party=first, now=NOW)
    b = resolve_identity(db, ring=ring, party=second, now=NOW)
    assert a is not None and b is not None
    assert a.id == b.id == first.identity_id == second.identity_id
    assert ring.open(b.name_sealed) == "张三丰"  # the newest name is kept
    assert db.scalar(select(func.count()).select_from(PartyIdentity)) == 1


def test_other_numbers_and_kinds_are_other_identities(
    db: Session, cases: Cases, ring: KeyRing
) -> None:
    request = cases.request()
    a = resolve_identity(db, ring=ring, party=cases.party(request), now=NOW)
    b = resolve_identity(db, ring=ring, party=cases.party(request, id_number=OTHER_ID), now=NOW)
    assert a is not None and b is not None and a.id != b.id
    assert resolve_identity(db, ring=ring, party=cases.party(request, id_number=None)) is None


def test_book_tables_hold_no_clear_personal_data(db: Session, cases: Cases, ring: KeyRing) -> None:
    request = cases.request()
    party = cases.party(
        request,
        phones=[PHONE],
        emails=[EMAIL],
        addresses=[{"text": ADDRESS, "postcode": "300000"}],
        consent_electronic=True,
        address_confirmed=True,
    )
    remember_submitted(db, ring=ring, party=party, case_number=CASE_1, now=NOW)
    db.commit()
    rows = book_rows(db)
    assert rows.count("v1:t1:") >= 4  # the name and three contact values, sealed
    for secret in (ID_NUMBER, ID_NUMBER.lower(), PHONE, EMAIL, ADDRESS, "张三", "友谊路"):
        assert secret not in rows
    points = db.scalars(select(ContactPoint)).all()
    assert sorted(p.label for p in points) == ["138****0002", "z***@example.com", "天津市河西区…"]
    assert {ring.open(p.value_sealed) for p in points} == {PHONE, EMAIL, ADDRESS}

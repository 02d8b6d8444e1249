"""On PostgreSQL, two transactions creating the same identity and points end with one of each."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Engine, func, select

from domain.address_book.book import remember_submitted
from domain.crypto.keyring import KeyRing
from domain.store.db import make_engine, make_session_factory
from domain.tables.core import Base, ContactPoint, Party, PartyIdentity
from tests.book.conftest import ADDRESS, CASE_1, CASE_2, NOW, PHONE, Cases

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """A fresh PostgreSQL database with every table, dropped afterwards."""
    name = f"songda_book_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    try:
        Base.metadata.create_all(engine)
        yield engine
    finally:
        engine.dispose()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_racing_requests_share_one_identity_and_point(pg_engine: Engine, ring: KeyRing) -> None:
    factory = make_session_factory(pg_engine)
    with factory() as session:
        cases = Cases(session)
        first = cases.party(cases.request(CASE_1), phones=[PHONE], addresses=[{"text": ADDRESS}])
        second = cases.party(cases.request(CASE_2), phones=["+86 13800000002"])
        session.commit()
        party_ids = (first.id, second.id)
    errors: list[BaseException] = []

    def remember(party_id: str, case_number: str) -> None:
        try:
            with factory() as session:
                party = session.get_one(Party, party_id)
                remember_submitted(
                    session, ring=ring, party=party, case_number=case_number, now=NOW
                )
                time.sleep(0.3)  # hold the row locks while the other transaction arrives
                session.commit()
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [
        threading.Thread(target=remember, args=(party_ids[0], CASE_1)),
        threading.Thread(target=remember, args=(party_ids[1], CASE_2)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert errors == []
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(PartyIdentity)) == 1
        kinds = sorted(session.scalars(select(ContactPoint.kind)))
        assert kinds == ["address", "phone"]

"""Parties and users are sealed at rest and read in clear, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from domain.address_book.points import identity_key
from domain.crypto import sealed_types
from domain.crypto.sealed_types import RingMissingError, installed_ring
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.tables.core import Base, Party, ServiceTask, User, WorkOrder
from tests.personal_data.rows import ID_NUMBER, PHONE, USER_PHONE, add_request


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[Engine]:
    """A database of each kind with every table."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/pd.db"
    else:
        url = request.getfixturevalue("pg_url")
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def raw_rows(engine: Engine) -> str:
    """Returns every parties and users row as the database stores it."""
    with engine.connect() as conn:
        rows = [
            *conn.execute(text("SELECT * FROM parties")),
            *conn.execute(text("SELECT * FROM users")),
        ]
    return repr(rows)


def test_columns_are_sealed_at_rest_and_read_in_clear(any_engine: Engine) -> None:
    with make_session_factory(any_engine)() as session:
        add_request(session)
    stored = raw_rows(any_engine)
    for clear in (ID_NUMBER, PHONE, USER_PHONE, "张三", "友谊路", "zhang@example.com"):
        assert clear not in stored
    with make_session_factory(any_engine)() as session:
        party = session.scalars(select(Party)).one()
        assert (party.name, party.id_number, party.phones) == ("张三", ID_NUMBER, [PHONE])
        assert party.addresses[0]["text"] == "天津市河西区友谊路1号"
        assert session.scalars(select(User)).one().phone == USER_PHONE


def test_the_blind_index_finds_the_party_and_matches_the_address_book(any_engine: Engine) -> None:
    with make_session_factory(any_engine)() as session:
        party = add_request(session)
        key = identity_key(party)
        assert key is not None
        index = installed_ring().blind_index(*key)
        found = session.scalars(select(Party).where(Party.id_blind_index == index)).one()
        assert found.id == party.id and ID_NUMBER not in index


def test_the_blind_index_follows_a_changed_number(db: Session) -> None:
    party = add_request(db)
    before = party.id_blind_index
    party.id_number = "110101200001011232"
    db.commit()
    assert party.id_blind_index not in (None, before)


def test_a_process_without_a_ring_gets_a_clear_error(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sealed_types, "_ring", None)
    with pytest.raises(StatementError, match="install_ring") as caught:
        add_request(db)
    assert isinstance(caught.value.orig, RingMissingError)


def test_a_clerks_note_is_sealed(db: Session) -> None:
    party = add_request(db)
    task = ServiceTask(
        request_id=party.request_id, party_id=party.id, position=0, party_ref="P1", workflow_id="w"
    )
    db.add(task)
    db.flush()
    note = f"本人接听 {PHONE}"
    db.add(
        WorkOrder(
            task_id=task.id, order_key="k", court_code="J12", kind="phone",
            due_at=datetime.now(UTC), note=note,
        )
    )  # fmt: skip
    db.commit()
    stored = db.execute(text("SELECT note FROM work_orders")).scalar_one()
    assert PHONE not in stored and db.scalars(select(WorkOrder.note)).one() == note


def test_the_sm4_suite_seals_the_columns_with_sm4_gcm(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sealed_types, "_ring", Settings(SONGDA_CRYPTO_SUITE="sm4").key_ring)
    add_request(db)
    stored = db.execute(text("SELECT id_number FROM parties")).scalar_one()
    assert stored.startswith("g1:") and db.scalars(select(Party.id_number)).one() == ID_NUMBER

"""Key rotation: rows sealed under key A read once B is current, `songda keys rotate` re-seals
them under B, and they still read after A is gone (PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select, text
from typer.testing import CliRunner

from api.cli.main import app
from domain.address_book.book import remember_submitted
from domain.address_book.points import open_value
from domain.crypto.sealed_types import install_ring, installed_ring
from domain.store.contacts import repaired_numbers
from domain.store.db import make_engine, make_session_factory
from domain.tables.core import Base, ContactPoint, Party, PartyIdentity, User
from tests.personal_data.conftest import key, ring_of
from tests.personal_data.rows import ID_NUMBER, PHONE, REPAIRED, USER_PHONE, add_request

A = f"A:{key(0xA)}"
B = f"B:{key(0xB)}"


@pytest.fixture
def pg(pg_url: str) -> Iterator[Engine]:
    """PostgreSQL with every table; the suite's ring is put back afterwards."""
    before = installed_ring()
    engine = make_engine(pg_url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()
    install_ring(before)


def seed_under_a(engine: Engine) -> None:
    """Seals a party, a user, a nested repaired number and address-book rows under key A."""
    ring_a = ring_of(A)
    install_ring(ring_a)
    with make_session_factory(engine)() as session:
        party = add_request(session, ring_sealed_repaired=ring_a.seal(REPAIRED))
        remember_submitted(
            session,
            ring=ring_a,
            party=party,
            case_number="（2026）津0103民初1234号",
            now=datetime.now(UTC),
        )
        session.commit()


def read_everything(engine: Engine) -> dict[str, object]:
    """Reads every sealed value through the installed ring."""
    ring = installed_ring()
    with make_session_factory(engine)() as session:
        party = session.scalars(select(Party)).one()
        identity = session.scalars(select(PartyIdentity)).one()
        return {
            "id": party.id_number,
            "phones": party.phones,
            "repaired": repaired_numbers(party, ring),
            "user": session.scalars(select(User)).one().phone,
            "identity": ring.open(identity.name_sealed),
            "points": sorted(
                str(open_value(ring, p)) for p in session.scalars(select(ContactPoint))
            ),
        }


def key_ids(engine: Engine) -> set[str]:
    """Returns the key ids found in the stored parties and users."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id_number, phones, repaired_phones FROM parties"))
        return {value.split(":")[1] for row in rows for value in row}


def test_rotation_re_seals_and_old_rows_read_after_the_old_key_is_gone(
    pg: Engine, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_under_a(pg)
    expected = read_everything(pg)
    assert expected["id"] == ID_NUMBER and expected["phones"] == [PHONE]
    assert expected["repaired"] == [REPAIRED] and expected["user"] == USER_PHONE
    assert key_ids(pg) == {"A"}

    install_ring(ring_of(f"{B},{A}"))  # B becomes current, A still opens
    assert read_everything(pg) == expected

    monkeypatch.setenv("DATABASE_URL", pg_url)
    monkeypatch.setenv("SONGDA_DATA_KEYS", f"{B},{A}")
    monkeypatch.setenv("SONGDA_INDEX_KEY", "test-index-key")
    done = CliRunner().invoke(app, ["keys", "rotate"])
    assert done.exit_code == 0, done.output
    assert "now uses key 'B'" in done.output
    assert key_ids(pg) == {"B"}

    install_ring(ring_of(B))  # A removed
    assert read_everything(pg) == expected
    monkeypatch.setenv("SONGDA_DATA_KEYS", B)
    status = CliRunner().invoke(app, ["keys", "status"])
    assert status.exit_code == 0 and "A:" not in status.output


def test_rotation_without_the_old_key_stops_with_a_clear_error(
    pg: Engine, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_under_a(pg)
    monkeypatch.setenv("DATABASE_URL", pg_url)
    monkeypatch.setenv("SONGDA_DATA_KEYS", B)
    done = CliRunner().invoke(app, ["keys", "rotate"])
    assert done.exit_code == 1
    assert "put every old key back" in done.output and PHONE not in done.output

"""Migration 0007 seals the personal data of existing rows, and its downgrade opens them again."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select

from domain.store.db import make_engine, make_session_factory
from domain.tables.core import Party, User
from tests.integration.test_migrations import alembic_config
from tests.personal_data.rows import ID_NUMBER, PHONE, USER_PHONE

SEED = [
    "INSERT INTO courts (code, name) VALUES ('J12', '天津市河西区人民法院')",
    "INSERT INTO users (id, name, role, phone, created_at) VALUES ('u1', 'judge', 'judge', "
    f"'{USER_PHONE}', '2026-11-28 00:00:00')",
    "INSERT INTO service_requests (id, client_id, external_id, court_code, case_number, cause, "
    "procedure, handler, clock, status, workflow_started, created_at) VALUES ('r1', 'u1', 'x', "
    "'J12', '（2026）津0103民初1号', '', 'ordinary', '', '{}', 'in_progress', true, "
    "'2026-11-28 00:00:00')",
    "INSERT INTO parties (id, request_id, position, ref, name, kind, role, id_number, phones, "
    "emails, addresses, repaired_phones, learned, consent_electronic, address_confirmed, "
    '"foreign") '
    f"VALUES ('p1', 'r1', 0, 'P1', '张三', 'person', 'defendant', '{ID_NUMBER}', '[\"{PHONE}\"]', "
    "'[]', '[{\"text\": \"天津市河西区友谊路1号\"}]', '[]', '{}', false, false, false)",
]


def dump(url: str) -> str:
    """Returns the parties and users rows as stored."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = [
                *conn.exec_driver_sql("SELECT * FROM parties"),
                *conn.exec_driver_sql("SELECT * FROM users"),
            ]
    finally:
        engine.dispose()
    return repr(rows)


@pytest.mark.parametrize("backend", ["pg_url", "sqlite"])
def test_0007_seals_existing_rows_and_its_downgrade_opens_them(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path}/m.db" if backend == "sqlite" else request.getfixturevalue(backend)
    config = alembic_config(url)
    command.upgrade(config, "0006")
    engine = make_engine(url)
    with engine.begin() as conn:
        for statement in SEED:
            conn.exec_driver_sql(statement)
    engine.dispose()
    assert ID_NUMBER in dump(url)

    command.upgrade(config, "0007")
    stored = dump(url)
    for clear in (ID_NUMBER, PHONE, USER_PHONE, "张三", "友谊路"):
        assert clear not in stored
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        number, phones, index = session.execute(
            select(Party.id_number, Party.phones, Party.id_blind_index)
        ).one()
        phone = session.scalars(select(User.phone)).one()
    engine.dispose()
    assert (number, phones, phone) == (ID_NUMBER, [PHONE], USER_PHONE)
    assert index is not None and len(index) == 64

    command.downgrade(config, "0006")
    assert ID_NUMBER in dump(url) and PHONE in dump(url)

"""On PostgreSQL with the migrations applied: lockout under concurrent tries, revocation, audit."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.access.accounts import authenticate, create_user, disable_user
from api.access.auth import user_for_token
from api.access.tokens import issue_token, revoke_tokens
from domain.store.audit import verify_chain
from domain.store.db import make_engine, make_session_factory
from domain.tables.core import User
from domain.tables.trust import AuditEntry, SecurityPolicy
from tests.integration.test_migrations import alembic_config

pytestmark = pytest.mark.integration

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def pg_engine() -> Iterator[Engine]:
    """A fresh PostgreSQL database built by the Alembic migrations, dropped afterwards."""
    name = f"songda_auth_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        config: Config = alembic_config(url)
        command.upgrade(config, "head")
        engine = make_engine(url)
        yield engine
        engine.dispose()
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_concurrent_bad_logins_all_count(pg_engine: Engine) -> None:
    factory = make_session_factory(pg_engine)
    with factory() as session:
        session.merge(SecurityPolicy(key="lockout_threshold", value=6))
        session.commit()
        create_user(session=session, name="judge-pg", role="judge", password=PASSWORD)

    def bad_login() -> None:
        with factory() as session:
            authenticate(session=session, name="judge-pg", password="wrong", source="10.0.0.9")

    threads = [threading.Thread(target=bad_login) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with factory() as session:
        user = session.scalars(select(User).where(User.name == "judge-pg")).one()
        assert user.locked_until is not None and user.locked_until > datetime.now(UTC)
        assert (
            authenticate(session=session, name="judge-pg", password=PASSWORD, source=None) is None
        )
        reasons = [
            entry.detail["reason"]
            for entry in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "auth.login", AuditEntry.actor == "judge-pg")
                .order_by(AuditEntry.seq)
            )
        ]
    assert reasons == ["bad_password"] * 5 + ["bad_password_locked", "locked"]
    with factory() as session:
        assert verify_chain(session).ok


def test_revoked_and_disabled_tokens_stop_working(pg_engine: Engine) -> None:
    with Session(pg_engine) as session:
        user = create_user(session=session, name="cs-pg", role="case_system", court_code="J12")
        first, second = (issue_token(session=session, user=user) for _ in range(2))
        assert user_for_token(session=session, token=first) is not None
        revoke_tokens(session=session, user=user, prefix=first[:8])
        session.commit()
        assert user_for_token(session=session, token=first) is None
        assert user_for_token(session=session, token=second) is not None
        disable_user(session=session, user=user)
        session.commit()
        assert user_for_token(session=session, token=second) is None

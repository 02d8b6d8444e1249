"""Issue 13 (5) on PostgreSQL: concurrent tries through the portal's own role count exactly."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from psycopg.errors import InsufficientPrivilege
from sqlalchemy import select

from api.portal import attempts
from api.portal.pages import PageError
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.store.documents import DocumentStore
from domain.tables.core import PortalPublication
from tests.portal.support import publish_attempt
from tests.portal.test_portal_role import as_portal, migrated

pytestmark = pytest.mark.integration
__all__ = ["migrated"]


def test_twenty_concurrent_tries_admit_exactly_five(migrated: Settings) -> None:
    engine = make_engine(migrated.effective_database_url)
    with make_session_factory(engine)() as session:
        publication_id = publish_attempt(
            session, migrated, DocumentStore(migrated.document_dir)
        ).publication_id
    engine.dispose()
    portal_engine = make_engine(migrated.effective_portal_database_url)
    sessions = make_session_factory(portal_engine)

    def try_once(_: int) -> bool:
        with sessions() as session:
            publication = session.scalars(
                select(PortalPublication).where(PortalPublication.id == publication_id)
            ).one()
            try:
                attempts.admit(session, publication)
            except PageError as refused:
                assert refused.status == 423
                return False
            return True

    with ThreadPoolExecutor(max_workers=20) as pool:
        admitted = sum(pool.map(try_once, range(20)))
    portal_engine.dispose()
    assert admitted == attempts.WINDOW_FAILURES


def test_the_portal_role_counts_only_portal_keys(migrated: Settings) -> None:
    with as_portal(migrated) as conn:
        conn.execute(
            "INSERT INTO rate_counters (key, window_start, hits, total) "
            "VALUES ('portal:addr:x', now(), 1, 1)"
        )
        with pytest.raises(psycopg.errors.Error) as caught:
            conn.execute(
                "INSERT INTO rate_counters (key, window_start, hits, total) "
                "VALUES ('login:203.0.113.7', now(), 99, 99)"
            )
        assert isinstance(caught.value, InsufficientPrivilege) or "row-level" in str(caught.value)
        with pytest.raises(InsufficientPrivilege):
            conn.execute("DELETE FROM rate_counters")

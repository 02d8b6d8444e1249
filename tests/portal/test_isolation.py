"""Issue 13 (4): the portal is isolated: its own settings, its own role (no superuser, only the
columns and rows it needs, receipts only of a recipient's kinds) and its own key."""

from __future__ import annotations

import uuid

import pytest
from psycopg.errors import InsufficientPrivilege
from sqlalchemy import text

from api.portal.settings import PortalSettings
from domain.crypto.keyring import SealError
from domain.crypto.portal_keys import PortalKeys, open_for_portal
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.store.documents import DocumentStore
from tests.portal.support import PHONE, publish_attempt
from tests.portal.test_portal_role import as_portal, migrated

pytestmark = pytest.mark.integration
__all__ = ["migrated"]
INTRANET_SECRETS = {
    "data_keys", "index_key", "callback_secret", "provider_secret", "provider_secrets",
    "smpp_password", "smtp_password", "temporal_address",
}  # fmt: skip


def test_the_portal_settings_hold_no_intranet_secret() -> None:
    assert INTRANET_SECRETS.isdisjoint(PortalSettings.model_fields)
    assert "SONGDA_DATA_KEYS" not in str(PortalSettings.model_json_schema(by_alias=True))


def test_the_portal_key_opens_nothing_the_master_keys_sealed(tmp_path: object) -> None:
    master = Settings().key_ring
    portal = PortalKeys().ring()
    assert set(portal.keys).isdisjoint(master.keys)
    with pytest.raises(SealError):
        portal.open(master.seal("11010119950612101X"))
    assert open_for_portal(portal, master.seal(PHONE)) is None
    with pytest.raises(SealError):
        master.open(portal.seal(PHONE))


def test_the_portal_role_sees_only_what_it_needs(migrated: Settings) -> None:
    engine = make_engine(migrated.effective_database_url)
    with make_session_factory(engine)() as session:
        published = publish_attempt(session, migrated, DocumentStore(migrated.document_dir))
        stored = session.execute(text("SELECT otp_target FROM portal_publications")).scalar_one()
    engine.dispose()
    assert PHONE not in stored and open_for_portal(PortalKeys().ring(), stored) == PHONE
    with as_portal(migrated) as conn:
        row = conn.execute(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        assert row.fetchone() == (False, False)
        for kind in ("opened", "identity_failed", "confirmed", "link_locked"):
            conn.execute(
                "INSERT INTO portal_receipts (id, publication_id, kind, at, detail) "
                "VALUES (%s, %s, %s, now(), '{}')",
                (uuid.uuid4().hex, published.publication_id, kind),
            )
        refused = (
            "SELECT forwarded_at FROM portal_receipts",
            "SELECT * FROM users",
            "SELECT * FROM audit_log",
            "SELECT * FROM documents",
            "SELECT * FROM security_policies",
            "INSERT INTO portal_receipts (id, publication_id, kind, at, detail, forwarded_at) "
            f"VALUES ('x1', '{published.publication_id}', 'opened', now(), '{{}}', now())",
            "INSERT INTO portal_receipts (id, publication_id, kind, at, detail) "
            f"VALUES ('x2', '{published.publication_id}', 'served', now(), '{{}}')",
            "INSERT INTO portal_receipts (id, publication_id, kind, at, detail) "
            f"VALUES ('x3', '{published.publication_id}', 'delivered', now(), '{{}}')",
        )
        for statement in refused:
            with pytest.raises(InsufficientPrivilege):
                conn.execute(statement)


def test_the_portal_role_does_not_see_long_expired_publications(migrated: Settings) -> None:
    engine = make_engine(migrated.effective_database_url)
    with make_session_factory(engine)() as session:
        store = DocumentStore(migrated.document_dir)
        old, recent = (publish_attempt(session, migrated, store) for _ in range(2))
        session.execute(
            text("UPDATE portal_publications SET expires_at = now() - interval '60 days' "
                 "WHERE id = :id"), {"id": old.publication_id},
        )  # fmt: skip
        session.commit()
    engine.dispose()
    with as_portal(migrated) as conn:
        seen = {row[0] for row in conn.execute("SELECT id FROM portal_publications")}
    assert seen == {recent.publication_id}

"""The recipient portal's publications and receipts, and providers' message ids.

On PostgreSQL the portal gets its own role: it reads publications and writes receipts, nothing
else (the portal is internet-facing; the intranet forwards its receipts).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PORTAL_ROLE = "songda_portal"


def _id() -> sa.Column[Any]:
    return sa.Column("id", sa.String(32), primary_key=True)


def _at(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "provider_messages",
        _id(),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("message_id", sa.String(200), nullable=False),
        sa.Column("reference", sa.String(200), nullable=False, index=True),
        sa.Column("part", sa.Integer(), nullable=False),
        _at("created_at"),
        sa.UniqueConstraint("provider", "message_id", name="uq_provider_message"),
    )
    op.create_table(
        "portal_publications",
        _id(),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("reference", sa.String(200), nullable=False, unique=True),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("court_name", sa.String(200), nullable=False),
        sa.Column("case_number", sa.String(100), nullable=False),
        sa.Column("cause", sa.String(200), nullable=False),
        sa.Column("party_label", sa.String(100), nullable=False),
        sa.Column("name_hmac", sa.String(64), nullable=False),
        sa.Column("id_tail_hmac", sa.String(64), nullable=True),
        sa.Column("otp_channel", sa.String(16), nullable=True),
        sa.Column("otp_target", sa.String(200), nullable=True),
        sa.Column("documents", sa.JSON(), nullable=False),
        _at("expires_at"),
        _at("created_at"),
    )
    op.create_table(
        "portal_receipts",
        _id(),
        sa.Column("publication_id", sa.String(32), sa.ForeignKey("portal_publications.id"),
                  nullable=False, index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        _at("at"),
        sa.Column("client_address", sa.String(64), nullable=True),
        sa.Column("user_agent", sa.String(500), nullable=True),
        sa.Column("document_sha256", sa.String(64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        _at("forwarded_at", nullable=True),
    )
    op.create_index("ix_portal_receipts_forwarded_at", "portal_receipts", ["forwarded_at"])
    if op.get_bind().dialect.name == "postgresql":
        _grant_portal_role()


def _grant_portal_role() -> None:
    # Roles are cluster-wide: create it once, grant per database.
    op.execute(f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PORTAL_ROLE}') THEN
                CREATE ROLE {PORTAL_ROLE} LOGIN;
            END IF;
        END $$""")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {PORTAL_ROLE}")
    op.execute(f"GRANT SELECT ON portal_publications TO {PORTAL_ROLE}")
    op.execute(f"GRANT SELECT, INSERT ON portal_receipts TO {PORTAL_ROLE}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"REVOKE ALL ON portal_publications, portal_receipts FROM {PORTAL_ROLE}")
        op.execute(f"REVOKE USAGE ON SCHEMA public FROM {PORTAL_ROLE}")
    op.drop_index("ix_portal_receipts_forwarded_at", "portal_receipts")
    op.drop_table("portal_receipts")
    op.drop_table("portal_publications")
    op.drop_table("provider_messages")

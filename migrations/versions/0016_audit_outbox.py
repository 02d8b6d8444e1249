"""The audit outbox: entries commit with their change here, and are chained in batches.

An action's transaction writes its audit entry to `audit_outbox` (no lock, one row); the
appender moves entries into `audit_log` in batches under one advisory lock per batch and deletes
them from the outbox in the same transaction. `audit_log` and its append-only triggers are
unchanged. The portal's role may not touch the outbox, as it may not touch the log.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PORTAL_ROLE = "songda_portal"

# Roles are cluster-wide and the portal's may not exist (migration 0002 makes it on PostgreSQL).
PG_REVOKE_PORTAL = f"""
DO $$ BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{PORTAL_ROLE}') THEN
        REVOKE ALL ON audit_outbox FROM {PORTAL_ROLE};
    END IF;
END $$"""


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "audit_outbox",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("court_code", sa.String(length=32), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("source_address", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_REVOKE_PORTAL)


def downgrade() -> None:
    """Reverts this revision; refused while entries wait to be chained (never dropped)."""
    waiting = op.get_bind().execute(sa.text("SELECT count(*) FROM audit_outbox")).scalar()
    if waiting:
        raise RuntimeError(
            f"audit_outbox holds {waiting} entries not yet chained: start the API or run "
            "`songda audit verify` (which chains them) before downgrading"
        )
    op.drop_table("audit_outbox")

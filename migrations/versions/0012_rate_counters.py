"""Rate limits and failure counters shared by every process (portal links, logins, webhooks).

The portal's role may count only its own keys (`portal:...`): row-level security keeps it from
touching the API's login and webhook counters.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PORTAL_ROLE = "songda_portal"


def upgrade() -> None:
    """Applies this revision."""
    op.create_table(
        "rate_counters",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON rate_counters TO {PORTAL_ROLE}")
    op.execute("ALTER TABLE rate_counters ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY portal_keys ON rate_counters TO {PORTAL_ROLE} "
        "USING (key LIKE 'portal:%') WITH CHECK (key LIKE 'portal:%')"
    )


def downgrade() -> None:
    """Reverts this revision."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS portal_keys ON rate_counters")
        op.execute(f"REVOKE ALL ON rate_counters FROM {PORTAL_ROLE}")
    op.drop_table("rate_counters")

"""The portal's role sees only the publications it may still serve: live links, and expired
ones for 30 days (to say "expired" rather than "unknown"); older rows are the intranet's.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PORTAL_ROLE = "songda_portal"


def upgrade() -> None:
    """Applies this revision."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE portal_publications ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY portal_live ON portal_publications FOR SELECT TO {PORTAL_ROLE} "
        "USING (expires_at > now() - interval '30 days')"
    )


def downgrade() -> None:
    """Reverts this revision."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP POLICY IF EXISTS portal_live ON portal_publications")
    op.execute("ALTER TABLE portal_publications DISABLE ROW LEVEL SECURITY")

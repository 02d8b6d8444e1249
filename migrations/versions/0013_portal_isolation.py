"""The portal's role gets only what it needs: no superuser or RLS bypass, the receipt columns it
writes and reads (never forwarded_at, nor the visitors' addresses once written), and receipts
only of the kinds a recipient makes.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PORTAL_ROLE = "songda_portal"
# What a recipient's acts in the portal make (api/portal/records.py, api/portal/attempts.py).
RECIPIENT_KINDS = (
    "opened", "identity_passed", "identity_failed", "code_sent", "code_failed", "viewed",
    "downloaded", "confirmed", "link_locked",
)  # fmt: skip
READ_COLUMNS = "id, publication_id, kind, at, document_sha256, detail"
WRITE_COLUMNS = "id, publication_id, kind, at, client_address, user_agent, document_sha256, detail"


def upgrade() -> None:
    """Applies this revision."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"ALTER ROLE {PORTAL_ROLE} NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION"
    )
    op.execute(f"REVOKE ALL ON portal_receipts FROM {PORTAL_ROLE}")
    op.execute(f"GRANT SELECT ({READ_COLUMNS}) ON portal_receipts TO {PORTAL_ROLE}")
    op.execute(f"GRANT INSERT ({WRITE_COLUMNS}) ON portal_receipts TO {PORTAL_ROLE}")
    op.execute("ALTER TABLE portal_receipts ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY portal_reads ON portal_receipts FOR SELECT TO {PORTAL_ROLE} USING (true)"
    )
    kinds = ", ".join(f"'{kind}'" for kind in RECIPIENT_KINDS)
    op.execute(
        f"CREATE POLICY portal_writes ON portal_receipts FOR INSERT TO {PORTAL_ROLE} "
        f"WITH CHECK (kind IN ({kinds}) AND forwarded_at IS NULL)"
    )


def downgrade() -> None:
    """Reverts this revision."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP POLICY IF EXISTS portal_writes ON portal_receipts")
    op.execute("DROP POLICY IF EXISTS portal_reads ON portal_receipts")
    op.execute("ALTER TABLE portal_receipts DISABLE ROW LEVEL SECURITY")
    op.execute(f"REVOKE ALL ON portal_receipts FROM {PORTAL_ROLE}")
    op.execute(f"GRANT SELECT, INSERT ON portal_receipts TO {PORTAL_ROLE}")

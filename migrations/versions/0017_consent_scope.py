"""Consent and confirmation cover what they name: per-contact marks, evidence kind and scope.

`parties.coverage` keeps which contacts a consent or an address confirmation covers (NULL on
older rows: their booleans cover the submitted contacts, as before). Consents and address
confirmations in the address book gain the evidence's kind, a scope (`case`, or `court` when
the confirmation binds every case of the court) and the court; older rows are scope `case`.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _evidence() -> sa.Column[str]:
    return sa.Column("evidence_kind", sa.String(32), nullable=False, server_default="case_system")


def _court() -> sa.Column[str]:
    return sa.Column("court_code", sa.String(32), nullable=False, server_default="")


def upgrade() -> None:
    """Applies this revision; every consent and confirmation so far binds its own case."""
    with op.batch_alter_table("parties") as batch:
        batch.add_column(sa.Column("coverage", sa.JSON(), nullable=True))
    with op.batch_alter_table("consent_records") as batch:
        batch.add_column(_evidence())
        batch.add_column(_court())
    # The scope was free text ("electronic service at the listed addresses"): it is a code now.
    op.execute("UPDATE consent_records SET scope = 'case'")
    with op.batch_alter_table("address_confirmations") as batch:
        batch.add_column(sa.Column("scope", sa.String(8), nullable=False, server_default="case"))
        batch.add_column(_evidence())
        batch.add_column(_court())
    for table in ("consent_records", "address_confirmations"):
        op.execute(
            f"UPDATE {table} SET court_code = COALESCE((SELECT r.court_code FROM "
            f"service_requests r WHERE r.case_number = {table}.case_number LIMIT 1), '')"
        )


def downgrade() -> None:
    """Reverts this revision (the consents' old free-text scope is not restored)."""
    with op.batch_alter_table("address_confirmations") as batch:
        batch.drop_column("court_code")
        batch.drop_column("evidence_kind")
        batch.drop_column("scope")
    with op.batch_alter_table("consent_records") as batch:
        batch.drop_column("court_code")
        batch.drop_column("evidence_kind")
    with op.batch_alter_table("parties") as batch:
        batch.drop_column("coverage")

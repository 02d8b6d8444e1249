"""The case's dates the service windows count from: hearing, acceptance, pronouncement.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Applies this revision: three optional columns on service_requests."""
    with op.batch_alter_table("service_requests") as batch:
        batch.add_column(sa.Column("hearing_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("accepted_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("pronounced_on", sa.Date(), nullable=True))


def downgrade() -> None:
    """Reverts this revision."""
    with op.batch_alter_table("service_requests") as batch:
        batch.drop_column("pronounced_on")
        batch.drop_column("accepted_on")
        batch.drop_column("hearing_at")

"""Where a party resides (mainland, Hong Kong, Macao, Taiwan, abroad): its notice period.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Applies this revision: parties submitted as foreign reside abroad."""
    with op.batch_alter_table("parties") as batch:
        batch.add_column(
            sa.Column("residence", sa.String(16), nullable=False, server_default="mainland")
        )
    op.execute("UPDATE parties SET residence = 'abroad' WHERE \"foreign\"")


def downgrade() -> None:
    """Reverts this revision."""
    with op.batch_alter_table("parties") as batch:
        batch.drop_column("residence")

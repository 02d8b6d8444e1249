"""Ops and statistics: indexes for the stats queries, the metrics scrape and stuck detection.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_service_tasks_stats", "service_tasks", ["request_id", "status", "method", "served_on"]),
    ("ix_service_tasks_status_step", "service_tasks", ["status", "step"]),
    ("ix_service_requests_court_created", "service_requests", ["court_code", "created_at"]),
    ("ix_service_requests_handler_created", "service_requests", ["handler", "created_at"]),
    ("ix_attempts_status_updated", "attempts", ["status", "updated_at"]),
    ("ix_attempts_created_at", "attempts", ["created_at"]),
    ("ix_work_orders_status_due", "work_orders", ["status", "due_at"]),
    ("ix_work_orders_closed_by", "work_orders", ["closed_by"]),
    ("ix_service_tasks_updated_at", "service_tasks", ["updated_at"]),
    ("ix_work_orders_closed_at", "work_orders", ["closed_at"]),
)


def upgrade() -> None:
    """Applies this revision."""
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    op.create_table(
        "stats_rollup",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("court_code", sa.String(length=32), nullable=False),
        sa.Column("handler", sa.String(length=100), nullable=False),
        sa.Column("department", sa.String(length=16), nullable=False),
        sa.Column("metric", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("closer", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_stats_rollup_day", "stats_rollup", ["day", "court_code"])
    op.create_index("ix_stats_rollup_court_day", "stats_rollup", ["court_code", "day"])
    op.create_table(
        "stats_rollup_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    """Reverts this revision."""
    op.drop_table("stats_rollup_state")
    op.drop_index("ix_stats_rollup_court_day", table_name="stats_rollup")
    op.drop_index("ix_stats_rollup_day", table_name="stats_rollup")
    op.drop_table("stats_rollup")
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)

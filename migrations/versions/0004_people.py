"""Work orders for people: assignment, reminders, call attempts, evidence, call records.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Applies this revision."""
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assignee_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True))
        # Existing orders get an empty record; the model fills it for new ones.
        batch_op.add_column(
            sa.Column("details", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.create_index(batch_op.f("ix_work_orders_assignee_id"), ["assignee_id"])
        batch_op.create_foreign_key(
            "fk_work_orders_assignee_id_users", "users", ["assignee_id"], ["id"]
        )
    op.create_table(
        "call_attempts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("work_order_id", sa.String(length=32), nullable=False),
        sa.Column("result", sa.String(length=32), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("cti_call_id", sa.String(length=100), nullable=True),
        sa.Column("recording_evidence_id", sa.String(length=32), nullable=True),
        sa.Column("actor_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["work_order_id"], ["work_orders.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cti_call_id"),
    )
    op.create_index(op.f("ix_call_attempts_work_order_id"), "call_attempts", ["work_order_id"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("work_order_id", sa.String(length=32), nullable=False),
        sa.Column("task_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("uploaded_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["service_tasks.id"]),
        sa.ForeignKeyConstraint(["uploaded_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["work_order_id"], ["work_orders.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_evidence_sha256"), "evidence", ["sha256"])
    op.create_index(op.f("ix_evidence_task_id"), "evidence", ["task_id"])
    op.create_index(op.f("ix_evidence_work_order_id"), "evidence", ["work_order_id"])


def downgrade() -> None:
    """Reverts this revision."""
    op.drop_index(op.f("ix_evidence_work_order_id"), table_name="evidence")
    op.drop_index(op.f("ix_evidence_task_id"), table_name="evidence")
    op.drop_index(op.f("ix_evidence_sha256"), table_name="evidence")
    op.drop_table("evidence")
    op.drop_index(op.f("ix_call_attempts_work_order_id"), table_name="call_attempts")
    op.drop_table("call_attempts")
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.drop_constraint("fk_work_orders_assignee_id_users", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_work_orders_assignee_id"))
        batch_op.drop_column("details")
        batch_op.drop_column("escalated_at")
        batch_op.drop_column("reminded_at")
        batch_op.drop_column("assigned_at")
        batch_op.drop_column("assignee_id")

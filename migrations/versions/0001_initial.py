"""Initial schema.

Courts, users and tokens, requests with their documents, parties and tasks, attempts,
timeline events, work orders and provider event receipts.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column[Any]:
    return sa.Column("id", sa.String(32), primary_key=True)


def _at(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _str(name: str, length: int, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.String(length), nullable=nullable)


def _task_fk() -> sa.Column[Any]:
    return sa.Column("task_id", sa.String(32), sa.ForeignKey("service_tasks.id"), nullable=False)


def _request_fk() -> sa.Column[Any]:
    return sa.Column(
        "request_id", sa.String(32), sa.ForeignKey("service_requests.id"), nullable=False
    )


def upgrade() -> None:
    """Creates every table of domain.tables.core."""
    op.create_table(
        "courts",
        sa.Column("code", sa.String(32), primary_key=True),
        _str("name", 200),
    )
    op.create_table(
        "users",
        _id(),
        _str("name", 100),
        _str("role", 32),
        _str("court_code", 32, nullable=True),
        _str("phone", 32, nullable=True),
        _str("password_hash", 255, nullable=True),
        _at("created_at"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "api_tokens",
        _id(),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        _str("token_sha256", 64),
        _at("created_at"),
        _at("expires_at", nullable=True),
        _at("revoked_at", nullable=True),
        sa.UniqueConstraint("token_sha256"),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])

    op.create_table(
        "service_requests",
        _id(),
        sa.Column("client_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        _str("external_id", 100),
        sa.Column("court_code", sa.String(32), sa.ForeignKey("courts.code"), nullable=False),
        _str("case_number", 100),
        _str("cause", 200),
        _str("procedure", 32),
        _str("handler", 100),
        _str("callback_url", 500, nullable=True),
        sa.Column("clock", sa.JSON(), nullable=False),
        _str("status", 32),
        sa.Column("workflow_started", sa.Boolean(), nullable=False),
        _at("created_at"),
        _at("completed_at", nullable=True),
        sa.UniqueConstraint("client_id", "external_id", name="uq_request_client_ext"),
    )
    op.create_index("ix_service_requests_case_number", "service_requests", ["case_number"])
    op.create_index("ix_service_requests_client_id", "service_requests", ["client_id"])
    op.create_index("ix_service_requests_created_at", "service_requests", ["created_at"])

    op.create_table(
        "documents",
        _id(),
        _request_fk(),
        sa.Column("position", sa.Integer(), nullable=False),
        _str("kind", 32),
        _str("title", 200),
        _str("media_type", 100),
        _str("sha256", 64),
        sa.Column("bytes", sa.Integer(), nullable=False),
    )
    op.create_index("ix_documents_request_id", "documents", ["request_id"])

    op.create_table(
        "parties",
        _id(),
        _request_fk(),
        sa.Column("position", sa.Integer(), nullable=False),
        _str("ref", 32),
        _str("name", 200),
        _str("kind", 32),
        _str("role", 32),
        _str("id_number", 32, nullable=True),
        _str("credit_code", 32, nullable=True),
        _str("licence_number", 32, nullable=True),
        sa.Column("foreign", sa.Boolean(), nullable=False),
        sa.Column("phones", sa.JSON(), nullable=False),
        sa.Column("emails", sa.JSON(), nullable=False),
        sa.Column("addresses", sa.JSON(), nullable=False),
        sa.Column("repaired_phones", sa.JSON(), nullable=False),
        sa.Column("consent_electronic", sa.Boolean(), nullable=False),
        sa.Column("address_confirmed", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("request_id", "ref", name="uq_party_request_ref"),
    )
    op.create_index("ix_parties_request_id", "parties", ["request_id"])

    op.create_table(
        "service_tasks",
        _id(),
        _request_fk(),
        sa.Column("party_id", sa.String(32), sa.ForeignKey("parties.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _str("party_ref", 32),
        _str("workflow_id", 200),
        _str("status", 32),
        _str("step", 32, nullable=True),
        _str("method", 32, nullable=True),
        sa.Column("served_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _at("step_since", nullable=True),
        _at("updated_at"),
        sa.UniqueConstraint("workflow_id"),
    )
    op.create_index("ix_service_tasks_request_id", "service_tasks", ["request_id"])

    op.create_table(
        "attempts",
        _id(),
        _task_fk(),
        _str("step", 32),
        _str("channel", 32),
        _str("target_label", 100),
        _str("idempotency_key", 200),
        _str("provider", 64),
        _str("provider_reference", 200, nullable=True),
        _str("status", 32),
        sa.Column("detail", sa.JSON(), nullable=False),
        _at("created_at"),
        _at("updated_at"),
        sa.UniqueConstraint("idempotency_key"),
    )
    op.create_index("ix_attempts_task_id", "attempts", ["task_id"])
    op.create_index("ix_attempts_provider_reference", "attempts", ["provider_reference"])

    op.create_table(
        "timeline_events",
        _id(),
        _task_fk(),
        _str("event_key", 300),
        sa.Column("seq", sa.Integer(), nullable=False),
        _at("at"),
        sa.Column("legal_date", sa.Date(), nullable=True),
        _str("step", 32, nullable=True),
        _str("kind", 64),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.UniqueConstraint("event_key"),
    )
    op.create_index("ix_timeline_events_task_id", "timeline_events", ["task_id"])

    op.create_table(
        "work_orders",
        _id(),
        _task_fk(),
        _str("order_key", 300),
        _str("court_code", 32),
        _str("kind", 32),
        _str("status", 32),
        _at("due_at"),
        _str("outcome", 64, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        _str("closed_by", 100, nullable=True),
        _at("created_at"),
        _at("closed_at", nullable=True),
        sa.UniqueConstraint("order_key"),
    )
    op.create_index("ix_work_orders_task_id", "work_orders", ["task_id"])
    op.create_index("ix_work_orders_court_code", "work_orders", ["court_code"])
    op.create_index("ix_work_orders_status", "work_orders", ["status"])

    op.create_table(
        "provider_events",
        _id(),
        _str("provider", 64),
        _str("event_id", 200),
        _at("received_at"),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.UniqueConstraint("provider", "event_id", name="uq_provider_event"),
    )


def downgrade() -> None:
    """Drops every table, children first (their indexes go with them)."""
    for table in (
        "provider_events",
        "work_orders",
        "timeline_events",
        "attempts",
        "service_tasks",
        "parties",
        "documents",
        "service_requests",
        "api_tokens",
        "users",
        "courts",
    ):
        op.drop_table(table)

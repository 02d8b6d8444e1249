"""Indexes for ops and statistics: stuck detection, metrics and the centre's figures.

Declared here on the existing tables (migration 0009 creates them) so that the stats queries,
the metrics scrape and stuck detection stay index scans at a million tasks.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.tables.core import Attempt, Base, ServiceRequest, ServiceTask, WorkOrder

# Covering index: the stats join reads status, method and served_on without the table.
TASK_STATS = Index(
    "ix_service_tasks_stats",
    ServiceTask.request_id,
    ServiceTask.status,
    ServiceTask.method,
    ServiceTask.served_on,
)
TASK_STATUS_STEP = Index("ix_service_tasks_status_step", ServiceTask.status, ServiceTask.step)
REQUEST_COURT_CREATED = Index(
    "ix_service_requests_court_created", ServiceRequest.court_code, ServiceRequest.created_at
)
REQUEST_HANDLER_CREATED = Index(
    "ix_service_requests_handler_created", ServiceRequest.handler, ServiceRequest.created_at
)
ATTEMPT_STATUS_UPDATED = Index("ix_attempts_status_updated", Attempt.status, Attempt.updated_at)
ATTEMPT_CREATED = Index("ix_attempts_created_at", Attempt.created_at)
WORK_ORDER_STATUS_DUE = Index("ix_work_orders_status_due", WorkOrder.status, WorkOrder.due_at)
WORK_ORDER_CLOSED_BY = Index("ix_work_orders_closed_by", WorkOrder.closed_by)
TASK_UPDATED = Index("ix_service_tasks_updated_at", ServiceTask.updated_at)
WORK_ORDER_CLOSED_AT = Index("ix_work_orders_closed_at", WorkOrder.closed_at)


class StatsRollup(Base):
    """Counts per Beijing day of submission, court, judge and department: what the stats read.

    Derived from the legal record and rebuilt from it at will (`songda stats-rebuild`); the
    days whose tasks changed since the last refresh are recomputed before a stats read.
    """

    __tablename__ = "stats_rollup"
    __table_args__ = (
        Index("ix_stats_rollup_day", "day", "court_code"),
        Index("ix_stats_rollup_court_day", "court_code", "day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date)
    week: Mapped[date] = mapped_column(Date)  # the Monday of the day's week
    month: Mapped[date] = mapped_column(Date)  # the first of the day's month
    court_code: Mapped[str] = mapped_column(String(32))
    handler: Mapped[str] = mapped_column(String(100))
    department: Mapped[str] = mapped_column(String(16))
    metric: Mapped[str] = mapped_column(String(16))  # tasks | requests | repair | workload
    status: Mapped[str] = mapped_column(String(32), default="")  # task status; repair hit|miss
    method: Mapped[str] = mapped_column(String(32), default="")  # serving method; order kind
    days: Mapped[int] = mapped_column(Integer, default=-1)  # days to serve, -1 when not served
    closer: Mapped[str] = mapped_column(String(100), default="")
    value: Mapped[int] = mapped_column(Integer)


class StatsRollupState(Base):
    """When the rollup was last brought up to date (one row)."""

    __tablename__ = "stats_rollup_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    refreshed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

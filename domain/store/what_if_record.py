"""Reads finished tasks' recorded rungs from the legal record, in a read-only transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from domain.pure.what_if import RecordedRung, RecordedTask
from domain.tables.core import ServiceRequest, ServiceTask, TimelineEvent, WorkOrder
from domain.tables.people import CallAttempt

FINISHED = ("served", "failed")


@contextmanager
def read_only(session: Session) -> Iterator[Session]:
    """Makes the session's transaction refuse every write, and rolls it back at the end."""
    dialect = session.get_bind().dialect.name
    try:
        if dialect == "postgresql":
            session.execute(text("SET TRANSACTION READ ONLY"))
        elif dialect == "sqlite":
            session.execute(text("PRAGMA query_only = ON"))
        yield session
    finally:
        session.rollback()
        if dialect == "sqlite":
            # The pragma belongs to the pooled connection: give it back writable.
            session.execute(text("PRAGMA query_only = OFF"))
            session.rollback()


def _calls(session: Session, task_id: str) -> list[tuple[str, list[datetime]]]:
    orders = session.scalars(
        select(WorkOrder)
        .where(WorkOrder.task_id == task_id, WorkOrder.kind == "phone")
        .order_by(WorkOrder.created_at)
    )
    found: list[tuple[str, list[datetime]]] = []
    for order in orders:
        starts = session.scalars(
            select(CallAttempt.started_at).where(CallAttempt.work_order_id == order.id)
        )
        found.append((order.outcome or "", list(starts)))
    return found


def _rungs(
    events: list[TimelineEvent], calls: list[tuple[str, list[datetime]]]
) -> list[RecordedRung]:
    rungs: list[RecordedRung] = []
    open_: tuple[str, date] | None = None
    phone_orders = iter(calls)
    for event in events:
        day = event.legal_date or event.at.date()
        if event.kind == "step_started" and event.step:
            open_ = (event.step, day)
        elif event.kind in ("step_failed", "finished") and open_ is not None:
            step, started = open_
            detail = event.detail or {}
            reason = str(detail.get("reason", ""))
            served = detail.get("served_on") if event.kind == "finished" else None
            outcome = (
                reason.split(": ", 1)[1] if reason.startswith(("clerk: ", "bailiff: ")) else ""
            )
            none: tuple[str, list[datetime]] = ("", [])
            order = next(phone_orders, none) if step == "phone" else none
            rungs.append(
                RecordedRung(
                    step, started, day,
                    served_on=date.fromisoformat(str(served)) if served else None,
                    timed_out="deadline" in reason,
                    outcome=outcome.split(",")[0],
                    calls=tuple(order[1]) if outcome.startswith("unreachable") else (),
                )
            )  # fmt: skip
            open_ = None
    return rungs


def finished_tasks(
    session: Session,
    *,
    since: date | None = None,
    until: date | None = None,
    court: str | None = None,
) -> list[RecordedTask]:
    """Returns the finished tasks (ended between the dates, of the court) with their rungs."""
    query = (
        select(ServiceTask, ServiceRequest)
        .join(ServiceRequest, ServiceRequest.id == ServiceTask.request_id)
        .where(ServiceTask.status.in_(FINISHED))
        .order_by(ServiceRequest.created_at, ServiceTask.position)
    )
    if court:
        query = query.where(ServiceRequest.court_code == court)
    found = []
    for task, request in session.execute(query):
        events = list(
            session.scalars(
                select(TimelineEvent)
                .where(TimelineEvent.task_id == task.id)
                .order_by(TimelineEvent.at, TimelineEvent.seq)
            )
        )
        ended = [e.legal_date for e in events if e.kind == "finished" and e.legal_date]
        if ended and ((since and ended[-1] < since) or (until and ended[-1] > until)):
            continue
        plans = [e for e in events if e.kind == "plan"]
        steps = plans[-1].detail.get("steps", []) if plans else []
        planned = [str(s["step"]) for s in steps]
        notice = [float(s.get("wait_days") or 0) for s in steps if s["step"] == "public_notice"]
        found.append(
            RecordedTask(
                task.id, task.party_ref, request.case_number,
                task.method or "", task.served_on,
                _rungs(events, _calls(session, task.id)), planned,
                notice[0] if notice else 0.0,
            )
        )  # fmt: skip
    return found

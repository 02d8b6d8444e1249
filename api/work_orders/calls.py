"""Call attempts on phone work orders: recorded by hand here, by the virtual line (CTI) elsewhere.

Both sources write call_attempts; every count and rule here reads both.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.auth import as_utc
from api.audit.context import audit_user_action
from api.errors import Conflict
from api.work_orders.bodies import CallIn, CallOut, CallSummaryOut
from api.work_orders.scope import order_in_scope
from domain.pure.work_order_rules import WORK_ORDER_RULE_VERSION, call_period, unreachable_violation
from domain.tables.core import User
from domain.tables.people import CallAttempt


def _call_out(call: CallAttempt) -> CallOut:
    return CallOut(
        id=call.id,
        work_order_id=call.work_order_id,
        result=call.result,
        started_at=as_utc(call.started_at),
        ended_at=as_utc(call.ended_at) if call.ended_at else None,
        duration_seconds=call.duration_seconds,
        source=call.source,
    )


def record_call(*, session: Session, user: User, order_id: str, body: CallIn) -> CallOut:
    """Stores a call dialled by hand on an open phone order; 409 when closed or not phone."""
    order, _task = order_in_scope(session, user, order_id)
    if order.status != "open":
        raise Conflict(f"the work order is already {order.status}")
    if order.kind != "phone":
        raise Conflict("calls are recorded on phone work orders only")
    duration = int((body.ended_at - body.started_at).total_seconds()) if body.ended_at else None
    # Stored in UTC: SQLite keeps no offset, and the periods of the day are read back from it.
    ended = body.ended_at.astimezone(UTC) if body.ended_at else None
    call = CallAttempt(
        work_order_id=order.id, result=body.result, started_at=body.started_at.astimezone(UTC),
        ended_at=ended, duration_seconds=duration, source="manual", actor_id=user.id,
    )  # fmt: skip
    session.add(call)
    session.flush()
    audit_user_action(
        session, user, action="work_order.call_recorded", target=order.id,
        court_code=order.court_code, detail={"call": call.id, "result": body.result},
    )  # fmt: skip
    session.commit()
    return _call_out(call)


def list_calls(*, session: Session, user: User, order_id: str) -> list[CallOut]:
    """Returns the calls on an order, oldest first, whichever line recorded them."""
    order, _task = order_in_scope(session, user, order_id)
    return [_call_out(c) for c in calls_of(session, order.id)]


def calls_of(session: Session, order_id: str) -> list[CallAttempt]:
    """Returns the calls on an order, oldest first."""
    query = (
        select(CallAttempt)
        .where(CallAttempt.work_order_id == order_id)
        .order_by(CallAttempt.started_at, CallAttempt.id)
    )
    return list(session.scalars(query))


def call_starts(session: Session, order_id: str) -> list[datetime]:
    """Returns when each finished call on the order started (aware UTC), manual and CTI alike.

    A call placed through the virtual line has no result until its record is fetched; it
    counts once it has one, so a click that never rang proves nothing.
    """
    return [as_utc(c.started_at) for c in calls_of(session, order_id) if c.result is not None]


def call_attempts_summary(
    session: Session, order_id: str, *, min_attempts: int = 3, min_periods: int = 2
) -> CallSummaryOut:
    """Summarizes an order's calls (count, periods, results) and whether unreachable is allowed."""
    every = calls_of(session, order_id)
    calls = [c for c in every if c.result is not None]
    starts = [as_utc(c.started_at) for c in calls]
    violation = unreachable_violation(starts, min_attempts=min_attempts, min_periods=min_periods)
    periods = sorted({p for p in (call_period(s) for s in starts) if p is not None})
    return CallSummaryOut(
        work_order_id=order_id,
        attempts=len(calls),
        periods=periods,
        pending=len(every) - len(calls),
        by_result=dict(Counter(c.result or "unknown" for c in calls)),
        unreachable_allowed=violation is None,
        missing=violation.message if violation else "",
        rule_version=WORK_ORDER_RULE_VERSION,
    )

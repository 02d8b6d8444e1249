"""Who holds a work order: a clerk claims it, a supervisor assigns or reassigns it, both release.

Service functions for the API and the console; keyword-only, each commits with its audit entry.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.auth import CLERK, SUPERVISOR, as_utc
from api.audit.context import audit_user_action
from api.errors import Conflict, Invalid
from api.work_orders.bodies import AssignmentOut
from api.work_orders.scope import order_in_scope
from domain.tables.core import User, WorkOrder, utcnow


def _open_order(session: Session, user: User, order_id: str, action: str) -> WorkOrder:
    order_in_scope(session, user, order_id)
    # Locked until the commit: two clerks claiming at once cannot both win (PostgreSQL).
    locked = select(WorkOrder).where(WorkOrder.id == order_id).with_for_update()
    order = session.scalars(locked.execution_options(populate_existing=True)).one()
    if order.status != "open":
        _refuse(session, user, order, action, f"order {order.status}")
        raise Conflict(f"the work order is already {order.status}")
    return order


def _refuse(session: Session, user: User, order: WorkOrder, action: str, why: str) -> None:
    audit_user_action(
        session, user, action=action, target=order.id, outcome="refused",
        court_code=order.court_code, detail={"why": why},
    )  # fmt: skip
    session.commit()


def _holder_name(session: Session, order: WorkOrder) -> str | None:
    if order.assignee_id is None:
        return None
    holder = session.get(User, order.assignee_id)
    return holder.name if holder is not None else None


def assignment_out(session: Session, order: WorkOrder) -> AssignmentOut:
    """Returns who holds the order now."""
    return AssignmentOut(
        id=order.id,
        status=order.status,
        assignee=_holder_name(session, order),
        assigned_at=as_utc(order.assigned_at) if order.assigned_at else None,
    )


def _hand_to(session: Session, user: User, order: WorkOrder, holder: User | None) -> None:
    action = "work_order.release" if holder is None else "work_order.assign"
    if holder is not None and holder.id == user.id:
        action = "work_order.claim"
    detail = {"from": _holder_name(session, order) or "", "to": holder.name if holder else ""}
    order.assignee_id = holder.id if holder is not None else None
    order.assigned_at = utcnow() if holder is not None else None
    audit_user_action(
        session, user, action=action, target=order.id, court_code=order.court_code, detail=detail
    )
    session.commit()


def claim_work_order(*, session: Session, user: User, order_id: str) -> AssignmentOut:
    """Takes an open order of the clerk's own court; 409 when closed or held by another clerk."""
    order = _open_order(session, user, order_id, "work_order.claim")
    if user.role != CLERK or user.court_code != order.court_code:
        _refuse(session, user, order, "work_order.claim", "not a clerk of the court")
        raise Conflict("only a clerk of the order's court can claim it")
    if order.assignee_id not in (None, user.id):
        _refuse(session, user, order, "work_order.claim", "held by another clerk")
        raise Conflict("the work order is held by another clerk; ask a supervisor to reassign")
    if order.assignee_id != user.id:
        _hand_to(session, user, order, user)
    return assignment_out(session, order)


def _active_clerk(session: Session, name: str, court_code: str) -> User | None:
    query = select(User).where(
        User.name == name,
        User.role == CLERK,
        User.court_code == court_code,
        User.disabled_at.is_(None),
    )
    return session.scalars(query).one_or_none()


def assign_work_order(
    *, session: Session, user: User, order_id: str, assignee: str
) -> AssignmentOut:
    """Gives an open order to an active clerk of its court (assign or reassign); supervisors."""
    order = _open_order(session, user, order_id, "work_order.assign")
    if user.role != SUPERVISOR:
        _refuse(session, user, order, "work_order.assign", "not a supervisor")
        raise Conflict("only a supervisor can assign a work order")
    holder = _active_clerk(session, assignee, order.court_code)
    if holder is None:
        _refuse(session, user, order, "work_order.assign", "no such active clerk of the court")
        message = "the assignee must be an active clerk of the order's court"
        raise Invalid([(("body", "assignee"), message)])
    _hand_to(session, user, order, holder)
    return assignment_out(session, order)


def release_work_order(*, session: Session, user: User, order_id: str) -> AssignmentOut:
    """Returns an open order to the court's queue; by its holder or a supervisor."""
    order = _open_order(session, user, order_id, "work_order.release")
    if user.role != SUPERVISOR and order.assignee_id != user.id:
        _refuse(session, user, order, "work_order.release", "not the holder")
        raise Conflict("only the clerk holding the order or a supervisor can release it")
    if order.assignee_id is not None:
        _hand_to(session, user, order, None)
    return assignment_out(session, order)

"""Which work orders a user may see: its court's, every court's for cross-court roles."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import Session

from api.access.auth import CASE_SYSTEM, CROSS_COURT_ROLES
from api.errors import NotFound
from domain.tables.core import ServiceRequest, ServiceTask, User, WorkOrder


def scope(user: User) -> ColumnElement[bool]:
    """Returns the condition on WorkOrder/ServiceRequest rows the user may see."""
    # A case system sees the orders of the requests it submitted, like the requests themselves
    # (api.access.auth.may_read_request), even when it is bound to a court.
    if user.role == CASE_SYSTEM:
        return ServiceRequest.client_id == user.id
    if user.court_code is not None:
        return WorkOrder.court_code == user.court_code
    if user.role in CROSS_COURT_ROLES:
        return true()
    return false()


def order_in_scope(session: Session, user: User, order_id: str) -> tuple[WorkOrder, ServiceTask]:
    """Returns the order and its task if the user may see it; 404 otherwise."""
    query = (
        select(WorkOrder, ServiceTask)
        .join(ServiceTask, ServiceTask.id == WorkOrder.task_id)
        .join(ServiceRequest, ServiceRequest.id == ServiceTask.request_id)
        .where(WorkOrder.id == order_id, scope(user))
    )
    row = session.execute(query).first()
    if row is None:
        raise NotFound("no such work order")
    return row[0], row[1]

"""Reminders and escalations of work orders: SMS to the holder, or to the court's supervisors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities.channels.sms.base import ProviderRejected, SmsMessage, SmsProvider
from domain.pure.activity_io import (
    WorkOrderAlertInput,
    WorkOrderAlertResult,
    WorkOrderPolicyInput,
)
from domain.pure.ladder import WorkOrderPolicy
from domain.settings import Settings
from domain.tables.core import ServiceRequest, ServiceTask, User, WorkOrder, utcnow

log = structlog.get_logger(__name__)

KIND_NAMES = {"phone": "电话送达", "direct": "直接送达"}


def alert_text(case_number: str, kind: str, due_day: str, escalated: bool) -> str:
    """Returns the SMS: the case number, the order's kind and due date, never party data."""
    name = KIND_NAMES.get(kind, kind)
    if escalated:
        return f"【送达中心】{case_number}{name}工单已于{due_day}到期未办结，请督办。"
    return f"【送达中心】{case_number}{name}工单将于{due_day}到期，请及时办理。"


class WorkOrderAlertActivities:
    """Sends work-order reminders and escalations through the configured SMS providers."""

    def __init__(
        self, session_factory: sessionmaker[Session], sms: SmsProvider, settings: Settings
    ) -> None:
        self.session_factory = session_factory
        self.sms = sms
        self.settings = settings

    @activity.defn
    def work_order_policy(self, arg: WorkOrderPolicyInput) -> WorkOrderPolicy:
        """Returns the reminder and grace periods in workdays for the order (one per centre)."""
        del arg  # the same for every court today; the order is there for a per-court policy
        return self.policy()

    def policy(self) -> WorkOrderPolicy:
        """The centre's timing; the plan carries it to workflows planned from issue 16 on."""
        return WorkOrderPolicy(
            self.settings.work_order_remind_before_workdays,
            self.settings.work_order_grace_workdays,
        )

    @activity.defn
    def remind_work_order(self, arg: WorkOrderAlertInput) -> WorkOrderAlertResult:
        """Marks the order reminded and texts its holder, or the court's clerks when unheld."""
        return self._alert(arg, escalated=False)

    @activity.defn
    def escalate_work_order(self, arg: WorkOrderAlertInput) -> WorkOrderAlertResult:
        """Marks the order escalated and texts the supervisors of its court."""
        return self._alert(arg, escalated=True)

    def _alert(self, arg: WorkOrderAlertInput, *, escalated: bool) -> WorkOrderAlertResult:
        with self.session_factory() as session:
            order = session.get_one(WorkOrder, arg.work_order_id)
            # The input names the order, not the task: bind the task for this thread's logs.
            structlog.contextvars.bind_contextvars(task_id=order.task_id)
            if order.status != "open":
                return WorkOrderAlertResult(sent=False)
            task = session.get_one(ServiceTask, order.task_id)
            case_number = session.get_one(ServiceRequest, task.request_id).case_number
            phones = _recipients(session, order, escalated)
            stamp: Callable[[WorkOrder, datetime], None] = _escalated if escalated else _reminded
            stamp(order, utcnow())
            session.commit()
        text = alert_text(case_number, order.kind, arg.due_day, escalated)
        what = "escalate" if escalated else "remind"
        for user_id, phone in phones:
            message = SmsMessage(
                to=phone,
                text=text,
                # Order, alert and user: a retried activity never texts anyone twice.
                reference=f"wo-{what}-{order.id}-{user_id}",
                seconds_per_day=arg.seconds_per_day,
                template=f"work_order_{what}",
                variables={"case": case_number, "due": arg.due_day},
            )
            try:
                self.sms.send(message)
            except ProviderRejected:
                log.warning("work_order.alert_refused", work_order_id=order.id, user_id=user_id)
        log.info("work_order.alerted", work_order_id=order.id, alert=what, recipients=len(phones))
        return WorkOrderAlertResult(sent=True, recipients=len(phones))


def _reminded(order: WorkOrder, at: datetime) -> None:
    order.reminded_at = order.reminded_at or at


def _escalated(order: WorkOrder, at: datetime) -> None:
    order.escalated_at = order.escalated_at or at


def _recipients(session: Session, order: WorkOrder, escalated: bool) -> list[tuple[str, str]]:
    """Returns (user id, phone) of who hears about the order; users without a phone are left out."""
    if not escalated and order.assignee_id is not None:
        holder = session.get(User, order.assignee_id)
        if holder is not None and holder.phone and holder.disabled_at is None:
            return [(holder.id, holder.phone)]
    role = "supervisor" if escalated else "clerk"
    query = (
        select(User)
        .where(User.court_code == order.court_code, User.role == role)
        .where(User.disabled_at.is_(None), User.phone.is_not(None))
        .order_by(User.name)
    )
    return [(u.id, str(u.phone)) for u in session.scalars(query)]

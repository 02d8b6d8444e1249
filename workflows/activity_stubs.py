"""The activities the workflows call, by name and type; `activities/` implements them.

Workflows import these stubs instead of the activity classes so that no workflow module pulls in
SQLAlchemy, httpx or the crypto modules. The names are the contract with running histories: a
stub's name must stay the name its implementation registers (tests/architecture checks both).
"""

from __future__ import annotations

from temporalio import activity

from domain.pure.activity_io import (
    CalendarYearsInput,
    CloseWorkOrderInput,
    ContactsInput,
    OpenWorkOrderInput,
    PlanInput,
    ProgressInput,
    RepairInput,
    RepairResult,
    RequestOutcomeInput,
    SendInput,
    SendResult,
    TrackInput,
    TrackResult,
    WorkOrderAlertInput,
    WorkOrderAlertResult,
    WorkOrderPolicyInput,
)
from domain.pure.archive_io import ArchiveInput, ArchiveResult, HandBackInput, HandBackResult
from domain.pure.deadline_io import DeadlineFacts, DeadlineInput, DeadlineWarning
from domain.pure.ladder import AdministeredYear, Contact, Plan, WorkOrderPolicy


def _stub(name: str) -> NotImplementedError:
    return NotImplementedError(f"{name} is a stub; the worker registers activities/")


@activity.defn(name="plan_service")
def plan_service(arg: PlanInput) -> Plan:
    """Chooses the party's plan from its facts and history (activities/trail.py)."""
    raise _stub("plan_service")


@activity.defn(name="record_progress")
def record_progress(arg: ProgressInput) -> None:
    """Writes a step of the ladder to the legal record (activities/trail.py)."""
    raise _stub("record_progress")


@activity.defn(name="record_request_outcome")
def record_request_outcome(arg: RequestOutcomeInput) -> None:
    """Writes the request's outcome (activities/trail.py)."""
    raise _stub("record_request_outcome")


@activity.defn(name="load_contacts")
def load_contacts(arg: ContactsInput) -> list[Contact]:
    """Loads contacts added to the party (activities/trail.py)."""
    raise _stub("load_contacts")


@activity.defn(name="send_sms")
def send_sms(arg: SendInput) -> SendResult:
    """Sends an SMS with the portal link (activities/channels/electronic.py)."""
    raise _stub("send_sms")


@activity.defn(name="send_email")
def send_email(arg: SendInput) -> SendResult:
    """Sends an e-mail with the portal link (activities/channels/electronic.py)."""
    raise _stub("send_email")


@activity.defn(name="send_letter")
def send_letter(arg: SendInput) -> SendResult:
    """Posts a tracked court letter (activities/channels/post.py)."""
    raise _stub("send_letter")


@activity.defn(name="track_letter")
def track_letter(arg: TrackInput) -> TrackResult:
    """Reads a letter's tracking events (activities/channels/post.py)."""
    raise _stub("track_letter")


@activity.defn(name="publish_notice")
def publish_notice(arg: SendInput) -> SendResult:
    """Publishes a public notice (activities/channels/notice.py)."""
    raise _stub("publish_notice")


@activity.defn(name="repair_numbers")
def repair_numbers(arg: RepairInput) -> RepairResult:
    """Asks the telecom operators for the party's numbers (activities/repair.py)."""
    raise _stub("repair_numbers")


@activity.defn(name="open_work_order")
def open_work_order(arg: OpenWorkOrderInput) -> str:
    """Opens a work order for a clerk or bailiff (activities/work_orders.py)."""
    raise _stub("open_work_order")


@activity.defn(name="close_work_order")
def close_work_order(arg: CloseWorkOrderInput) -> None:
    """Closes a work order (activities/work_orders.py)."""
    raise _stub("close_work_order")


@activity.defn(name="work_order_policy")
def work_order_policy(arg: WorkOrderPolicyInput) -> WorkOrderPolicy:
    """Reads the work order's due times and alerts (activities/work_order_alerts.py)."""
    raise _stub("work_order_policy")


@activity.defn(name="remind_work_order")
def remind_work_order(arg: WorkOrderAlertInput) -> WorkOrderAlertResult:
    """Reminds the assignee before the due day (activities/work_order_alerts.py)."""
    raise _stub("remind_work_order")


@activity.defn(name="escalate_work_order")
def escalate_work_order(arg: WorkOrderAlertInput) -> WorkOrderAlertResult:
    """Escalates an overdue work order to the supervisors (activities/work_order_alerts.py)."""
    raise _stub("escalate_work_order")


@activity.defn(name="build_archive")
def build_archive(arg: ArchiveInput) -> ArchiveResult:
    """Builds the request's archive (activities/archive.py)."""
    raise _stub("build_archive")


@activity.defn(name="deliver_callback")
def deliver_callback(arg: HandBackInput) -> HandBackResult:
    """Calls the case system back with the archive (activities/archive_callback.py)."""
    raise _stub("deliver_callback")


@activity.defn(name="notify_judge")
def notify_judge(arg: HandBackInput) -> HandBackResult:
    """Sends the judge an SMS that the archive is ready (activities/archive_callback.py)."""
    raise _stub("notify_judge")


@activity.defn(name="assess_deadline")
def assess_deadline(arg: DeadlineInput) -> DeadlineFacts:
    """Reads the party's latest legal date and channel odds (activities/deadline.py)."""
    raise _stub("assess_deadline")


@activity.defn(name="warn_deadline_risk")
def warn_deadline_risk(arg: DeadlineWarning) -> None:
    """Tells the judge a party is projected past its deadline (activities/deadline.py)."""
    raise _stub("warn_deadline_risk")


@activity.defn(name="load_calendar_years")
def load_calendar_years(arg: CalendarYearsInput) -> list[AdministeredYear]:
    """Reads the holidays an administrator entered for years (activities/calendar.py)."""
    raise _stub("load_calendar_years")

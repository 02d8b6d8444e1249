"""Inputs and outputs of activities: one frozen dataclass each, no personal data in clear."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.pure.ladder import Clock, Contact, Plan, ProviderEvent, TaskOutcome


@dataclass(frozen=True)
class PlanInput:
    """Asks for a party's plan; the activity also records it as the first timeline event."""

    task_id: str
    workflow_id: str
    clock: Clock
    at: str
    legal_date: str


@dataclass(frozen=True)
class ProgressInput:
    """A timeline event, and the task's new state if it changed."""

    task_id: str
    event_key: str
    seq: int
    at: str
    legal_date: str
    step: str
    kind: str
    detail: dict[str, str] = field(default_factory=dict)
    status: str = ""
    method: str = ""
    served_on: str = ""
    reason: str = ""
    count_attempt: bool = False


@dataclass(frozen=True)
class SendInput:
    """One message, letter or notice to one contact; `reference` is its idempotency key."""

    task_id: str
    step: str
    contact: Contact
    reference: str
    seconds_per_day: float
    notice_days: int = 30  # the legal period a public notice states (60 for a foreign party)
    flash: bool = False  # a flash SMS: an extra reminder, never proof of service


@dataclass(frozen=True)
class SendResult:
    """What the provider answered: its id for the message, waybill or notice."""

    reference: str
    provider_id: str
    duplicate: bool = False


@dataclass(frozen=True)
class TrackInput:
    """Asks the post office for a waybill's tracking (the fallback when webhooks are late)."""

    reference: str
    waybill: str


@dataclass(frozen=True)
class TrackResult:
    """The tracking events so far, as provider events about the letter's attempt."""

    events: list[ProviderEvent] = field(default_factory=list)


@dataclass(frozen=True)
class RepairInput:
    """Asks the telecom operators for the party's real-name numbers."""

    task_id: str
    reference: str


@dataclass(frozen=True)
class RepairResult:
    """The repaired numbers, as masked contacts (the numbers stay in the database)."""

    contacts: list[Contact] = field(default_factory=list)


@dataclass(frozen=True)
class OpenWorkOrderInput:
    """Opens (once) a clerk's or bailiff's work order for the task."""

    task_id: str
    order_key: str
    kind: str
    due_at: str
    summary: str


@dataclass(frozen=True)
class CloseWorkOrderInput:
    """Closes a work order with its outcome (or `expired`, `cancelled`)."""

    work_order_id: str
    outcome: str
    note: str = ""
    actor: str = ""


@dataclass(frozen=True)
class WorkOrderPolicyInput:
    """Asks for the timing that applies to a work order."""

    work_order_id: str


@dataclass(frozen=True)
class WorkOrderAlertInput:
    """Reminds the holder of an open order, or escalates it to the court's supervisors."""

    work_order_id: str
    due_day: str  # the legal date the order falls due, as the SMS states it
    seconds_per_day: float = 86400.0


@dataclass(frozen=True)
class WorkOrderAlertResult:
    """Whether the alert went out now, and to how many phones."""

    sent: bool
    recipients: int = 0


@dataclass(frozen=True)
class ContactsInput:
    """Asks for masked contacts of the party by kind and index."""

    task_id: str
    phones: list[int] = field(default_factory=list)
    emails: list[int] = field(default_factory=list)
    addresses: list[int] = field(default_factory=list)
    confirmed_addresses: bool = False


@dataclass(frozen=True)
class RequestOutcomeInput:
    """Records how a request ended."""

    request_id: str
    status: str
    outcomes: list[TaskOutcome] = field(default_factory=list)


@dataclass(frozen=True)
class PlanResult:
    """The plan as chosen for the party."""

    plan: Plan


@dataclass(frozen=True)
class CalendarYearsInput:
    """The years whose administered holidays a workflow needs (issue 12, item 9)."""

    years: list[int] = field(default_factory=list)

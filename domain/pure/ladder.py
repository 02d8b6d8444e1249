"""The ladder's vocabulary and the dataclasses that cross workflow and activity boundaries.

Every workflow, activity, signal and update takes one frozen dataclass from here, so fields can
be added without breaking running workflows. None of them carries personal data in clear: a
contact travels as its index in the party's record plus a masked label for the UI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from domain.pure.deadline_io import DeadlineFacts


class Step(StrEnum):
    """A rung of the ladder (CONTRACT.md step names)."""

    ELECTRONIC = "electronic"
    PHONE = "phone"
    MAIL = "mail"
    DIRECT = "direct"
    PUBLIC_NOTICE = "public_notice"


class TaskStatus(StrEnum):
    """A service task's status (CONTRACT.md)."""

    PENDING = "pending"
    SERVING = "serving"
    WAITING_HUMAN = "waiting_human"
    SERVED = "served"
    FAILED = "failed"
    CANCELLED = "cancelled"


class RequestStatus(StrEnum):
    """A service request's status (CONTRACT.md)."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Channel(StrEnum):
    """How an attempt reached, or tried to reach, the party."""

    SMS = "sms"
    FLASH_SMS = "flash_sms"
    EMAIL = "email"
    WORK_ORDER = "work_order"
    POST = "post"
    NOTICE = "notice"
    REPAIR = "repair"


PHONE_OUTCOMES = frozenset(
    {"reached_consented", "reached_address_confirmed", "refused", "unreachable", "wrong_number"}
)
DIRECT_OUTCOMES = frozenset({"served_in_person", "left_at_address", "not_found"})
WORK_ORDER_OUTCOMES = {"phone": PHONE_OUTCOMES, "direct": DIRECT_OUTCOMES}


@dataclass(frozen=True)
class Clock:
    """The plan's clock: `real`, or `accelerated` with N real seconds per legal day.

    `origin` is the real instant (ISO 8601, UTC) that maps to itself on the virtual calendar;
    the request workflow sets it once so that every party shares one calendar.
    """

    mode: str = "real"
    seconds_per_day: float = 86400.0
    origin: str = ""


@dataclass(frozen=True)
class Contact:
    """A contact point of the party, by index into its record, with a masked label."""

    kind: str  # phone | email | address
    index: int
    label: str
    confirmed: bool = False  # consent (e-address) or address confirmation covers it
    source: str = "submitted"  # submitted | repaired | clerk


@dataclass(frozen=True)
class Rung:
    """One step of the plan with what it uses, how long it waits and why it is there."""

    step: str
    wait_days: float
    reason: str
    contacts: list[Contact] = field(default_factory=list)
    business_days: bool = False  # the wait counts workdays (people's work orders), not days


@dataclass(frozen=True)
class AdministeredYear:
    """A year's holidays and make-up workdays (ISO dates) as an administrator entered them."""

    year: int
    holidays: list[str] = field(default_factory=list)
    workdays: list[str] = field(default_factory=list)
    source: str = ""  # e.g. the State Council notice's file or number


@dataclass(frozen=True)
class CalendarUpdated:
    """Signal: an administrator entered these years; a waiting notice reads its calendar again."""

    years: list[int] = field(default_factory=list)
    source: str = ""


@dataclass(frozen=True)
class WorkOrderPolicy:
    """The centre's work-order timing: remind before the due time, expire after a grace."""

    remind_before_workdays: int = 1
    grace_workdays: int = 1


@dataclass(frozen=True)
class Plan:
    """The ordered rungs for one party, with the clock and the rule version that chose them."""

    rungs: list[Rung]
    clock: Clock
    rule_version: str
    procedure: str
    public_notice_days: int = 30
    repair: bool = False  # ask the telecom operators for numbers before the first rung
    skipped: list[str] = field(default_factory=list)  # rungs left out, each with its reason
    simple_means: bool = False  # a clerk's recorded confirmation may serve (Interp. 261)
    mediation: bool = False  # a mediation statement: no refusal, leaving or notice (Interp. 133)
    public_notice_months: int = 0  # set for Hong Kong, Macao and Taiwan: months, not days
    public_notice_roll: bool = True  # a last day off work rolls to the next workday (setting)
    # The administered calendar for the plan's year and the next (issue 12, item 9): the years
    # chinese-calendar lacks travel with the plan, so the common path needs no extra activity.
    calendar_years: list[AdministeredYear] = field(default_factory=list)
    # The hearing deadline's facts, read with the plan in one activity (issue 16): None in
    # plans from before, whose workflows ask assess_deadline after the plan.
    deadline: DeadlineFacts | None = None
    # The centre's work-order timing, read with the plan (issue 16): None in plans from
    # before, whose workflows ask work_order_policy when an order opens.
    work_order_policy: WorkOrderPolicy | None = None


@dataclass(frozen=True)
class RequestInput:
    """Input of ServiceRequestWorkflow."""

    request_id: str
    case_number: str
    court_code: str
    tasks: list[TaskRef]
    clock: Clock
    search_attributes: bool = True  # the time-skipping test server knows none of ours


@dataclass(frozen=True)
class TaskRef:
    """A party's task as the request workflow knows it."""

    task_id: str
    party_ref: str
    party_kind: str
    workflow_id: str


@dataclass(frozen=True)
class PartyInput:
    """Input of PartyServiceWorkflow."""

    task_id: str
    request_id: str
    party_ref: str
    party_kind: str
    case_number: str
    court_code: str
    clock: Clock
    search_attributes: bool = True


@dataclass(frozen=True)
class TaskOutcome:
    """How a task ended: status, method and the legal date it was served on."""

    task_id: str
    status: str
    method: str = ""
    served_on: str = ""  # YYYY-MM-DD, Beijing date on the plan's calendar
    reason: str = ""


@dataclass(frozen=True)
class ProviderEvent:
    """A provider's receipt forwarded to a workflow (delivery report, portal read, tracking).

    kind: delivered | undeliverable | opened | confirmed | bounced | in_transit | signed |
    refused | returned. `reference` is the idempotency key of the attempt it answers.
    `occurred_at` is the provider's real timestamp (ISO 8601).
    """

    reference: str
    kind: str
    occurred_at: str
    detail: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class WorkOrderOutcome:
    """A clerk's or bailiff's outcome for an open work order (a Temporal update)."""

    work_order_id: str
    outcome: str
    note: str = ""
    actor: str = ""
    new_address_index: int = -1  # an address the clerk confirmed, stored before the update
    new_phone_index: int = -1  # a number the party gave the clerk, stored before the update
    at: str = ""  # when the act happened (the bailiff's service.at, the call): ISO 8601


@dataclass(frozen=True)
class StepControl:
    """An operator's request to retry or skip the current step, or to cancel."""

    actor: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ContactsChanged:
    """New contact points were stored for the party; the indexes are into its record."""

    phones: list[int] = field(default_factory=list)
    emails: list[int] = field(default_factory=list)
    addresses: list[int] = field(default_factory=list)

"""Bodies of work-order assignment, call attempts and the direct-service record."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from api.fields import Instant, Mobile, StrictBody, Text
from api.requests.bodies import AddressIn, PartyView
from domain.pure.work_order_rules import CallResult, Relation


class AssignIn(StrictBody):
    """Who should hold the order: an active clerk of the order's court, by user name."""

    assignee: Text


class AssignmentOut(BaseModel):
    """Who holds the order now (none after a release)."""

    id: str
    status: str
    assignee: str | None = None
    assigned_at: datetime | None = None


class CallIn(StrictBody):
    """A call dialled by hand: when it started and ended, and how it went."""

    started_at: Instant
    ended_at: Instant | None = None
    result: CallResult

    @model_validator(mode="after")
    def _ends_after_start(self) -> CallIn:
        if self.ended_at is not None and self.ended_at < self.started_at:
            raise ValueError("ended_at must not be before started_at")
        return self


class CallOut(BaseModel):
    """A recorded call attempt."""

    id: str
    work_order_id: str
    result: str | None
    started_at: datetime
    ended_at: datetime | None = None
    duration_seconds: int | None = None
    source: str


class CallSummaryOut(BaseModel):
    """The calls on an order so far and whether it may end unreachable yet."""

    work_order_id: str
    attempts: int  # calls with a result, manual and CTI
    periods: list[str]
    by_result: dict[str, int]
    unreachable_allowed: bool
    missing: str = ""
    rule_version: str
    pending: int = 0  # calls placed through the virtual line whose record is not fetched yet


class ServiceRecordIn(StrictBody):
    """Where, when and to whom a bailiff served (CPL 88, 89); GPS only when the browser gave it."""

    place: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    at: Instant
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    recipient: Text | None = None
    relation: Relation | None = None
    witness: Text | None = None
    refusal_recorded: bool = False


class OutcomeIn(StrictBody):
    """A clerk's or bailiff's outcome for a work order."""

    outcome: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    note: Annotated[str, StringConstraints(max_length=2000)] = ""
    address: (
        AddressIn
        | Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
        | None
    ) = None
    # When the act happened, if not the call the clerk recorded last (a phone order's
    # confirmation); a direct service states it in service.at. The served-on date is its date.
    at: Instant | None = None
    # A new mobile number the party gave the clerk; the ladder tries it.
    phone: Mobile | None = None
    # What a direct service recorded (place, time, recipient, relation, witness, refusal).
    service: ServiceRecordIn | None = None


class WorkOrderOut(BaseModel):
    """A clerk's or bailiff's work order."""

    id: str
    task_id: str
    case_number: str
    kind: str
    status: str
    due_at: datetime
    outcome: str | None = None
    party: PartyView
    assignee: str | None = None  # the user name of the clerk or bailiff holding it
    overdue: bool = False
    call_attempts: int = 0
    reminded_at: datetime | None = None
    escalated_at: datetime | None = None


class WorkOrderListOut(BaseModel):
    """Work orders, soonest due first."""

    items: list[WorkOrderOut]


class OutcomeOut(BaseModel):
    """The recorded outcome of a work order."""

    id: str
    status: str
    outcome: str

"""Response bodies, for the OpenAPI schema and to keep answers to their documented shape."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel


class TaskOut(BaseModel):
    """One party's service task."""

    id: str
    party_ref: str
    workflow_id: str
    status: str
    step: str | None = None
    method: str | None = None
    served_on: date | None = None
    reason: str | None = None
    attempts: int = 0


class CourtOut(BaseModel):
    """The court of a request."""

    code: str
    name: str


class ArchiveOut(BaseModel):
    """The archive of a completed request: where to download it and its zip's SHA-256."""

    url: str
    sha256: str


class RequestOut(BaseModel):
    """A service request with its tasks; `archive` is set once it is completed."""

    id: str
    external_id: str
    status: str
    case_number: str
    court: CourtOut
    created_at: datetime
    tasks: list[TaskOut]
    archive: ArchiveOut | None = None


class RequestListOut(BaseModel):
    """A page of the caller's requests, newest first."""

    items: list[RequestOut]
    total: int
    limit: int
    offset: int


class TimelineItemOut(BaseModel):
    """One event of a task's trail."""

    seq: int
    at: datetime
    legal_date: date | None
    step: str | None
    kind: str
    detail: dict[str, Any]


class TimelineOut(BaseModel):
    """A task's events in order; the first is its plan."""

    task_id: str
    items: list[TimelineItemOut]


class AddressOut(BaseModel):
    """An address as the caller's role may see it."""

    text: str
    postcode: str = ""


class PartyView(BaseModel):
    """A party as the caller's role may see it; never its ID number."""

    ref: str
    name: str
    kind: str
    phones: list[str]
    repaired_phones: list[str]
    emails: list[str]
    addresses: list[AddressOut]


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


class ContactsOut(BaseModel):
    """Indexes of the contact points that were added to the party's record."""

    task_id: str
    phones: list[int]
    emails: list[int]
    addresses: list[int]


class ControlOut(BaseModel):
    """Acknowledges an operator's signal."""

    task_id: str
    signal: str
    accepted: bool = True


class ProviderAckOut(BaseModel):
    """The answer to a provider event; duplicate when it was accepted before."""

    accepted: bool
    duplicate: bool = False


class HealthOut(BaseModel):
    """Liveness with a database round trip."""

    ok: bool

"""A task's bodies: new contacts, an operator's control, the timeline."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, StringConstraints, model_validator

from api.fields import StrictBody
from api.requests.bodies import ContactPointsIn


class ContactsIn(ContactPointsIn):
    """New contact points for a party, checked like a submission's; each covered by its own
    consent or confirmation (`consented`, `confirmed`), never by the request's booleans."""

    @model_validator(mode="after")
    def _not_empty(self) -> ContactsIn:
        if not (self.phones or self.emails or self.addresses):
            raise ValueError("give at least one phone, e-mail or address")
        return self


class ControlIn(StrictBody):
    """An operator's reason for a cancel, retry or skip."""

    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


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

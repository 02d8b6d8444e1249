"""Bodies of work-order assignment, call attempts and the direct-service record."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, model_validator

from domain.pure.clock import BEIJING

CallResult = Literal[
    "answered", "no_answer", "busy", "powered_off", "unreachable", "rejected", "wrong_number"
]
Relation = Literal["self", "family_member", "representative", "mail_room", "other"]


def _beijing_when_naive(moment: datetime) -> datetime:
    # A browser's datetime-local field sends no offset; the court's clock is Beijing time.
    return moment.replace(tzinfo=BEIJING) if moment.tzinfo is None else moment


# An instant; without an offset it is read as Beijing time (Asia/Shanghai, UTC+8).
Instant = Annotated[datetime, AfterValidator(_beijing_when_naive)]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class AssignIn(BaseModel):
    """Who should hold the order: an active clerk of the order's court, by user name."""

    assignee: Text200


class AssignmentOut(BaseModel):
    """Who holds the order now (none after a release)."""

    id: str
    status: str
    assignee: str | None = None
    assigned_at: datetime | None = None


class CallIn(BaseModel):
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


class ServiceRecordIn(BaseModel):
    """Where, when and to whom a bailiff served (CPL 88, 89); GPS only when the browser gave it."""

    place: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    at: Instant
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    recipient: Text200 | None = None
    relation: Relation | None = None
    witness: Text200 | None = None
    refusal_recorded: bool = False

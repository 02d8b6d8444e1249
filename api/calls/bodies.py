"""Bodies of calls through the virtual line and of the call script."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from api.evidence.bodies import EvidenceOut
from api.fields import StrictBody


class DialIn(StrictBody):
    """Which of the party's numbers to dial: an index into the work order's party.phones
    followed by party.repaired_phones, as GET /v1/work-orders shows them."""

    phone_index: int = Field(default=0, ge=0, le=99)


class CallStartOut(BaseModel):
    """The virtual line's id of the call just placed."""

    call_id: str
    work_order_id: str
    number: str = Field(description="the number dialled, masked")


class LineCallOut(BaseModel):
    """A call's record once fetched; `fetched` is false while the call goes on."""

    call_id: str
    work_order_id: str
    fetched: bool
    state: str = Field(description="ringing | in_progress | completed | failed | fetched")
    result: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    duration_seconds: int | None = None
    recording: EvidenceOut | None = None


class ScriptSectionOut(BaseModel):
    """One part of the call; lines starting with 提示 are notes for the clerk."""

    heading: str
    lines: list[str]


class ScriptOut(BaseModel):
    """The call script for the work order's party, its name masked."""

    title: str
    version: str = Field(description="the rule version of the templates")
    sections: list[ScriptSectionOut]

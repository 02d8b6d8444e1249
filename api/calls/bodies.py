"""Bodies of evidence, calls through the virtual line, and the call script."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class EvidenceOut(BaseModel):
    """A stored piece of evidence; `url` downloads it for those allowed."""

    id: str
    work_order_id: str
    task_id: str
    kind: str = Field(description="recording | photo | video | signed_receipt")
    media_type: str = Field(description="as sniffed from the bytes, not as declared")
    sha256: str
    bytes: int
    filename: str
    created_at: datetime
    url: str


class EvidenceListOut(BaseModel):
    """The evidence of one work order, oldest first."""

    items: list[EvidenceOut]


class CallIn(BaseModel):
    """Which of the party's numbers to dial: an index into the work order's party.phones
    followed by party.repaired_phones, as GET /v1/work-orders shows them."""

    phone_index: int = Field(default=0, ge=0, le=99)


class CallStartOut(BaseModel):
    """The virtual line's id of the call just placed."""

    call_id: str
    work_order_id: str
    number: str = Field(description="the number dialled, masked")


class CallOut(BaseModel):
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

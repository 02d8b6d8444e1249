"""Evidence bodies."""

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

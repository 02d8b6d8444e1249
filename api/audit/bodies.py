"""Response bodies of the audit endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class AuditEntryOut(BaseModel):
    """One audit entry; `at` is given in Beijing time (UTC+8)."""

    seq: int
    at: datetime
    actor: str
    role: str
    court_code: str | None
    action: str
    target: str
    outcome: str
    request_id: str | None
    source_address: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class AuditPageOut(BaseModel):
    """Audit entries newest first; pass `next_before` as `before` for the next page."""

    items: list[AuditEntryOut]
    next_before: int | None = Field(None, description="seq to pass as `before`; null at the end")


class ChainReportOut(BaseModel):
    """The result of walking the whole chain."""

    ok: bool
    entries: int
    first_broken: int | None = Field(None, description="seq of the first broken entry")
    reason: str | None = None
    head: str = Field(description="hash of the last sound entry; keep it to detect a cut tail")

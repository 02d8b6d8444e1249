"""Tables for people in the ladder: the calls a clerk makes and the evidence of service."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.tables.core import Base, new_id, utcnow


class CallAttempt(Base):
    """One call on a phone work order, dialled by hand or through the virtual line (CTI)."""

    __tablename__ = "call_attempts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    work_order_id: Mapped[str] = mapped_column(ForeignKey("work_orders.id"), index=True)
    # answered | no_answer | busy | powered_off | unreachable | rejected | wrong_number
    result: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16), default="manual")  # manual | cti
    # The virtual line's own id of the call; unique so a fetched record attaches once.
    cti_call_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    recording_evidence_id: Mapped[str | None] = mapped_column(String(32))
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Evidence(Base):
    """A file proving service: a call recording, a photo or video, a signed receipt (送达回证)."""

    __tablename__ = "evidence"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    work_order_id: Mapped[str] = mapped_column(ForeignKey("work_orders.id"), index=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("service_tasks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # recording | photo | video | signed_receipt
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    bytes: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

"""Tables for the archive handed back to the judge, and its callbacks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.tables.core import Base, new_id, utcnow


class Archive(Base):
    """The zip of a completed request, filed in the document store under its SHA-256."""

    __tablename__ = "archives"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    # One archive per request: a rebuilt archive (after a crash) finds this row again.
    request_id: Mapped[str] = mapped_column(ForeignKey("service_requests.id"), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    bytes: Mapped[int] = mapped_column(Integer)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The audit entry that chained the manifest's hash.
    audit_seq: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))


class CallbackDelivery(Base):
    """One attempt at posting a request's outcome to the case system's callback_url."""

    __tablename__ = "callback_deliveries"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("service_requests.id"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

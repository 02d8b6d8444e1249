"""Counters shared by every process: rate limits and failure counts, held in the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.tables.core import Base


class RateCounter(Base):
    """Hits of one key (`portal:addr:<ip>`, `portal:fail:<link>`, `login:<ip>`, ...)."""

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    hits: Mapped[int] = mapped_column(Integer, default=0)  # within the window
    total: Mapped[int] = mapped_column(Integer, default=0)  # over the key's life
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

"""The administered holiday calendar: a year's holidays and make-up workdays, as entered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.tables.core import Base, utcnow


class CalendarYear(Base):
    """One year of the State Council's notice (DOMAIN.md: chinese-calendar stops at 2026)."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    holidays: Mapped[list[Any]] = mapped_column(default=list)  # ISO dates
    workdays: Mapped[list[Any]] = mapped_column(default=list)  # make-up workdays (调休)
    source: Mapped[str] = mapped_column(String(300), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

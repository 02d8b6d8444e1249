"""Reads and writes the administered calendar years the legal calendar is layered with."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.pure.ladder import AdministeredYear
from domain.pure.legal_calendar import LegalCalendar, YearOverride, year_override
from domain.tables.calendar import CalendarYear
from domain.tables.core import utcnow


def load_calendar(session: Session) -> LegalCalendar:
    """Returns the legal calendar with every year an administrator entered."""
    rows = session.scalars(select(CalendarYear))
    return LegalCalendar({row.year: year_override(_entered(row)) for row in rows})


def administered_years(session: Session, years: Iterable[int]) -> list[AdministeredYear]:
    """Returns the entered years among the given ones, as the workflows receive them."""
    wanted = sorted(set(years))
    rows = session.scalars(select(CalendarYear).where(CalendarYear.year.in_(wanted)))
    return sorted((_entered(row) for row in rows), key=lambda y: y.year)


def _entered(row: CalendarYear) -> AdministeredYear:
    return AdministeredYear(
        row.year,
        sorted(str(d) for d in row.holidays),
        sorted(str(d) for d in row.workdays),
        row.source or "",
    )


def read_year(year: int, path: Path) -> YearOverride:
    """Reads a year's notice from a JSON file {"holidays": [...], "workdays": [...]}."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return YearOverride(
        year,
        frozenset(date.fromisoformat(d) for d in data.get("holidays", [])),
        frozenset(date.fromisoformat(d) for d in data.get("workdays", [])),
    )


def import_year(session: Session, override: YearOverride, source: str) -> None:
    """Stores (or replaces) a year's holidays and make-up workdays."""
    row = session.get(CalendarYear, override.year) or CalendarYear(year=override.year)
    row.holidays = sorted(d.isoformat() for d in override.holidays)
    row.workdays = sorted(d.isoformat() for d in override.workdays)
    row.source, row.imported_at = source[:300], utcnow()
    session.add(row)
    session.commit()

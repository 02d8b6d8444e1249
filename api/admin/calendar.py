"""The State Council's holiday notice for a year the library lacks: entered, then applied.

Entering a year recomputes every provisional notice date it settles: a task already served
gets its served-on date corrected (timeline and audit), a notice still running is told by the
`calendar_updated` signal and recomputes its own date (issue 12, item 9).
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from temporalio.client import Client

from api.errors import Invalid, Loc
from api.fields import StrictBody
from api.temporal import signal
from domain.pure.ladder import CalendarUpdated
from domain.pure.legal_calendar import YearOverride
from domain.pure.names import SIGNAL_CALENDAR_UPDATED
from domain.store.calendar_recompute import Recomputed, recompute_provisional
from domain.store.calendar_store import import_year


class CalendarYearIn(StrictBody):
    """A year's notice: its holidays, its make-up workdays (调休上班) and where it comes from."""

    holidays: list[date] = Field(default_factory=list, max_length=366)
    workdays: list[date] = Field(default_factory=list, max_length=366)
    source: str = Field(min_length=1, max_length=300, examples=["国办发明电〔2026〕7号"])


class MovedOut(BaseModel):
    """A served task whose date the entered year changed."""

    task_id: str
    old_served_on: str
    served_on: str


class CalendarYearOut(BaseModel):
    """What the import stored and recomputed."""

    year: int
    holidays: int
    workdays: int
    moved: list[MovedOut]
    confirmed: int  # served tasks whose provisional date stood and is now confirmed
    running: int  # notices still running on a provisional date
    running_told: int  # notices still running, told to recompute their own date
    still_provisional: int  # dates that touch another year still without data


def year_override(year: int, body: CalendarYearIn) -> YearOverride:
    """Returns the year's override; a date outside the year or on both lists is a 422."""
    errors: list[tuple[Loc, str]] = []
    for name, days in (("holidays", body.holidays), ("workdays", body.workdays)):
        errors += [(("body", name, i), f"{d} lies outside {year}")
                   for i, d in enumerate(days) if d.year != year]  # fmt: skip
    errors += [(("body", "workdays", i), f"{d} is also listed among the holidays")
               for i, d in enumerate(body.workdays) if d in set(body.holidays)]  # fmt: skip
    if errors:
        raise Invalid(errors)
    return YearOverride(year, frozenset(body.holidays), frozenset(body.workdays))


def enter_year(
    session: Session, override: YearOverride, *, source: str, actor: str, role: str
) -> Recomputed:
    """Stores the year and recomputes the provisional dates it settles (commits)."""
    import_year(session, override, source)
    return recompute_provisional(session, actor=actor, role=role, years=[override.year])


async def tell_running(client: Client, workflow_ids: list[str], year: int, source: str) -> int:
    """Signals each running notice to recompute its date; returns how many were told."""
    told = 0
    for workflow_id in workflow_ids:
        told += await signal(
            client, workflow_id, SIGNAL_CALENDAR_UPDATED, CalendarUpdated([year], source)
        )
    return told


def year_out(override: YearOverride, done: Recomputed, told: int) -> CalendarYearOut:
    """Returns the answer to an import."""
    return CalendarYearOut(
        year=override.year,
        holidays=len(override.holidays),
        workdays=len(override.workdays),
        moved=[MovedOut(task_id=t, old_served_on=o, served_on=n) for t, o, n in done.moved],
        confirmed=len(done.confirmed),
        running=len(done.running),
        running_told=told,
        still_provisional=done.still_provisional,
    )

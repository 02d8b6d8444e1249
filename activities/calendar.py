"""The administered holiday calendar, read for a workflow whose dates touch a year it lacks."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from domain.pure.activity_io import CalendarYearsInput
from domain.pure.ladder import AdministeredYear
from domain.store.calendar_store import administered_years


class CalendarActivities:
    """Reads the years an administrator entered (issue 12, item 9); read-only, so idempotent."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    @activity.defn
    def load_calendar_years(self, arg: CalendarYearsInput) -> list[AdministeredYear]:
        """Returns the entered years among those asked for (none entered: an empty list)."""
        with self.session_factory() as session:
            return administered_years(session, arg.years)

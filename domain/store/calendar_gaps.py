"""Legal dates computed on a year the holiday calendar does not know: provisional until entered.

DOMAIN.md: a deadline that touches a year with no data gets a provisional date (weekends only),
is marked wherever it shows, and raises an alert until an administrator enters the year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from domain.store.calendar_recompute import is_provisional, latest_notices
from domain.store.calendar_store import load_calendar


@dataclass(frozen=True)
class Gap:
    """A task's legal date that rests on years without calendar data."""

    task_id: str
    effective_on: str
    years: list[int]
    since: datetime

    @property
    def words_zh(self) -> str:
        """Says in Chinese why the date is provisional, as the console and the proof show it."""
        return f"暂定：缺少{'、'.join(str(y) for y in self.years)}年节假日数据"

    @property
    def reason(self) -> str:
        """Says what is provisional and what to do, in words ops can act on."""
        years = ", ".join(str(y) for y in self.years)
        return (
            f"public notice effective {self.effective_on} is provisional: no holiday calendar "
            f"for {years}; enter the State Council's notice for {years}"
        )


def calendar_gaps(session: Session, task_ids: Iterable[str] | None = None) -> list[Gap]:
    """Returns the tasks' notice dates that still touch a year without calendar data."""
    calendar, gaps = load_calendar(session), []
    # The latest statement of each task's date counts: a recomputed date replaces the first.
    for event in latest_notices(session, task_ids).values():
        detail = event.detail or {}
        if not is_provisional(detail):
            continue
        issued = date.fromisoformat(str(detail["issued_on"]))
        effective = date.fromisoformat(str(detail["effective_on"]))
        # Recomputed each time: once the year's data exists the alert clears by itself.
        years = sorted(calendar.unconfirmed_years(issued, effective))
        if years:
            gaps.append(Gap(event.task_id, effective.isoformat(), years, event.at))
    return sorted(gaps, key=lambda g: g.since)

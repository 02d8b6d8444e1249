"""Issue 12, item 9: a notice ending in a year the library lacks uses the entered year."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from domain.pure.ladder import AdministeredYear, CalendarUpdated, Step, TaskStatus
from domain.pure.legal_calendar import LegalCalendar, administered_calendar
from domain.pure.names import SIGNAL_CALENDAR_UPDATED
from tests.workflows.harness import Ladder, day, plan, rung
from tests.workflows.stubs import Script

SOURCE = "国务院办公厅关于节假日安排的通知（测试）"


async def entered_years(ladder: Ladder) -> tuple[list[AdministeredYear], date]:
    """Returns entered years that make the weekend-only last day of a notice issued now a
    holiday (today's and tomorrow's, in case the legal day turns meanwhile), and that day."""
    today = day(await ladder.env.get_current_time())
    provisional = LegalCalendar().add_days(today, 30)
    if provisional.confirmed:
        pytest.skip("the notice's period ends in a year chinese-calendar knows")
    holidays: dict[int, set[str]] = {}
    for issued in (today, today + timedelta(days=1)):
        last = LegalCalendar().add_days(issued, 30).value
        holidays.setdefault(last.year, set()).add(last.isoformat())
    years = [AdministeredYear(y, sorted(h), [], SOURCE) for y, h in holidays.items()]
    return years, provisional.value


def effective_dates(script: Script, years: list[AdministeredYear]) -> tuple[date, date]:
    """Returns the notice's weekend-only last day and the day the entered years give."""
    issued = day(script.calls_of("publish_notice")[0].at)
    return (
        LegalCalendar().add_days(issued, 30).value,
        administered_calendar(years).add_days(issued, 30).value,
    )


async def published(script: Script) -> None:
    """Waits (in real time) until the workflow recorded the published notice."""
    for _ in range(1000):
        if script.trail("notice_published"):
            return
        await asyncio.sleep(0.01)
    raise TimeoutError("the notice was never published")


async def test_the_year_in_the_plan_moves_the_notice_date(ladder: Ladder) -> None:
    """Entered when planning: the notice ends on the entered calendar, confirmed, no read."""
    years, _ = await entered_years(ladder)
    script = Script(plan(rung(Step.PUBLIC_NOTICE), calendar_years=years))
    outcome = await ladder.run(script)
    provisional, entered = effective_dates(script, years)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.PUBLIC_NOTICE)
    assert outcome.served_on == entered.isoformat()
    assert entered > provisional
    assert script.trail("notice_published")[0].detail["calendar"] == "confirmed"
    assert script.calls_of("load_calendar_years") == []


async def test_a_year_entered_after_the_plan_is_read_when_the_notice_is_issued(
    ladder: Ladder,
) -> None:
    """The plan lacks the year, the store has it: one read at the notice, the date moves."""
    years, _ = await entered_years(ladder)
    script = Script(plan(rung(Step.PUBLIC_NOTICE)), calendar=years)
    outcome = await ladder.run(script)
    provisional, entered = effective_dates(script, years)
    assert outcome.served_on == entered.isoformat() != provisional.isoformat()
    assert len(script.calls_of("load_calendar_years")) == 1
    notice = script.trail("notice_published")[0].detail
    assert (notice["effective_on"], notice["calendar"]) == (entered.isoformat(), "confirmed")
    assert (notice["notice_days"], notice["notice_roll"]) == ("30", "true")


async def test_an_import_during_the_period_recomputes_and_waits_for_the_new_date(
    ladder: Ladder,
) -> None:
    """Provisional at first; the import's signal recomputes the date, records it, and the
    notice serves on the new date instead of the weekend-only one."""
    years, _ = await entered_years(ladder)
    script = Script(plan(rung(Step.PUBLIC_NOTICE)))
    handle = await ladder.start(script)
    await published(script)
    notice = script.trail("notice_published")[0].detail
    assert notice["calendar"] == "unconfirmed (provisional)"
    script.calendar = years  # the administrator imports the year
    await handle.signal(SIGNAL_CALENDAR_UPDATED, CalendarUpdated([y.year for y in years], "cli"))
    outcome = await ladder.result(handle)
    provisional, entered = effective_dates(script, years)
    assert notice["effective_on"] == provisional.isoformat()
    assert outcome.served_on == entered.isoformat() != provisional.isoformat()
    recomputed = script.trail("notice_effective_recomputed")
    assert len(recomputed) == 1
    assert recomputed[0].detail["old_effective_on"] == provisional.isoformat()
    assert recomputed[0].detail["effective_on"] == entered.isoformat()
    assert recomputed[0].detail["calendar"] == "confirmed"
    assert SOURCE in recomputed[0].detail["calendar_source"]
    assert "CPL 95" in recomputed[0].detail["article"]
    finished = script.trail_call("finished")
    assert day(finished.at) >= entered  # it waited until the new date


async def test_a_provisional_date_is_checked_again_when_it_comes(ladder: Ladder) -> None:
    """No signal reached the run: at the provisional date it reads the calendar once more."""
    years, _ = await entered_years(ladder)
    script = Script(plan(rung(Step.PUBLIC_NOTICE)))
    handle = await ladder.start(script)
    await published(script)
    script.calendar = years
    outcome = await ladder.result(handle)
    provisional, entered = effective_dates(script, years)
    assert outcome.served_on == entered.isoformat() != provisional.isoformat()
    assert len(script.calls_of("load_calendar_years")) == 2
    assert len(script.trail("notice_effective_recomputed")) == 1


async def test_still_no_data_serves_on_the_provisional_date_marked(ladder: Ladder) -> None:
    """Nothing entered: the weekend-only date stands, marked provisional (never silent)."""
    await entered_years(ladder)
    script = Script(plan(rung(Step.PUBLIC_NOTICE)))
    outcome = await ladder.run(script)
    provisional, _ = effective_dates(script, [])
    assert outcome.served_on == provisional.isoformat()
    assert script.trail("finished")[0].detail["detail"].startswith("effective date provisional")
    assert script.trail("notice_effective_recomputed") == []

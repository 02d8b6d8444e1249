"""The public notice: published, then deemed served when its period ends on the legal calendar."""

from __future__ import annotations

from datetime import timedelta

from domain.pure.ladder import Rung, Step, TaskStatus
from domain.pure.legal_calendar import LegalCalendar
from tests.workflows.harness import EMAIL, HOME, PHONE, Ladder, day, plan, rung
from tests.workflows.stubs import Script


async def test_notice_serves_when_its_thirty_days_end(ladder: Ladder) -> None:
    """The notice serves on the last day of its 30-day period, rolled to a workday (CPL 85, 95)."""
    script = Script(plan(rung(Step.PUBLIC_NOTICE)))
    outcome = await ladder.run(script)
    published = script.calls_of("publish_notice")[0]
    effective = LegalCalendar().add_days(day(published.at), 30).value
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.PUBLIC_NOTICE)
    assert outcome.served_on == effective.isoformat()
    assert published.arg.notice_days == 30
    assert script.legal_time() >= timedelta(days=29)


async def test_foreign_party_notice_lasts_sixty_days(ladder: Ladder) -> None:
    """A party abroad is served by notice after sixty days (CPL 283)."""
    notice = Rung(Step.PUBLIC_NOTICE, 60.0, "test: notice abroad")
    script = Script(plan(notice, public_notice_days=60))
    outcome = await ladder.run(script)
    published = script.calls_of("publish_notice")[0]
    assert outcome.served_on == LegalCalendar().add_days(day(published.at), 60).value.isoformat()
    assert published.arg.notice_days == 60


async def test_notice_board_failing_fails_the_ladder(ladder: Ladder) -> None:
    """A notice board that keeps failing leaves the party unserved, not deemed served."""
    script = Script(plan(rung(Step.PUBLIC_NOTICE)), failing={"publish_notice"})
    outcome = await ladder.run(script)
    assert (outcome.status, outcome.reason) == (TaskStatus.FAILED, "every rung of the plan failed")
    assert script.failures() == ["the notice board kept failing"]


async def test_whole_ladder_climbs_for_months_to_the_notice(ladder: Ladder) -> None:
    """Nobody answers anywhere: every rung runs out in turn and the notice serves, months on."""
    script = Script(
        plan(
            rung(Step.ELECTRONIC, PHONE, EMAIL),
            rung(Step.PHONE, PHONE),
            rung(Step.MAIL, HOME),
            rung(Step.DIRECT, HOME),
            rung(Step.PUBLIC_NOTICE),
        )
    )
    outcome = await ladder.run(script)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.PUBLIC_NOTICE)
    assert script.steps() == [
        Step.ELECTRONIC,
        Step.PHONE,
        Step.MAIL,
        Step.DIRECT,
        Step.PUBLIC_NOTICE,
    ]
    assert script.closed() == [("wo-phone-1", "expired"), ("wo-direct-2", "expired")]
    assert script.legal_time() > timedelta(days=3 + 3 + 10 + 5 + 29)

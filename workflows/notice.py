"""The public notice rung: published, then served when its period ends on the legal calendar.

A period that ends in a year chinese-calendar does not know is provisional (weekends alone
decide) until an administrator enters the year; the rung then reads the entered year and
waits until the recomputed date (issue 12, item 9).
"""

from __future__ import annotations

from datetime import date

from temporalio import workflow

from domain.pure import summary_texts as summaries
from domain.pure.activity_io import CalendarYearsInput
from domain.pure.clock import legal_date, real_until_legal_date
from domain.pure.ladder import AdministeredYear, CalendarUpdated, Contact, Plan, Rung, Step
from domain.pure.legal_calendar import LegalDate
from domain.pure.names import SIGNAL_CALENDAR_UPDATED
from domain.pure.served_on import SERVICE_RULE_VERSION, SERVICE_RULES, notice_effective
from workflows import activity_stubs as stubs
from workflows import shape
from workflows.base import RungBase
from workflows.options import TRAIL
from workflows.state import RungResult

# From this patch on a provisional notice date reads the administered calendar when the
# notice is issued (an activity on this path only). Called only where a date is provisional,
# so the common path's history gains no marker.
CALENDAR_PATCH = "notice-administered-calendar"
# From this patch on `calendar_updated` makes a waiting notice recompute its date and wait
# until the new one, and a provisional date is checked once more when it comes. A patch of its
# own: a notice issued before the first patch (whose check stays False for the whole run) still
# takes the import's news while it waits.
RECHECK_PATCH = "notice-calendar-recheck"

CONFIRMED, PROVISIONAL = "confirmed", "unconfirmed (provisional)"


class NoticeRung(RungBase):
    """The public notice's part of PartyServiceWorkflow; state lives on the workflow instance."""

    calendar_news: bool = False
    news_years: tuple[int, ...] = ()

    async def public_notice(self, rung: Rung, attempt: int) -> RungResult:
        """Publishes the notice, then waits out the legal period on the plan's calendar."""
        contact = Contact("notice", 0, "court notice board")
        ref = self._reference(rung.step, attempt, contact)
        if not await self._send(
            stubs.publish_notice, rung.step, ref, contact, "publish public notice"
        ):
            return RungResult(reason="the notice board kept failing")
        issued = legal_date(self.plan.clock, workflow.now())
        effective = notice_effective(issued, self.plan, self._calendar())
        if not effective.confirmed and shape.patched(CALENDAR_PATCH):
            # The plan carries this year's and next year's entries; a later year, or one
            # entered since the plan, is read now.
            effective = await self._read_calendar(issued, effective, record=False)
        await self._note(
            "notice_published",
            {
                "issued_on": issued.isoformat(),
                "effective_on": effective.value.isoformat(),
                "calendar": CONFIRMED if effective.confirmed else PROVISIONAL,
                **notice_period(self.plan),
            },
        )
        effective = await self._notice_period(issued, effective)
        if self.heard.cancelled or self.heard.interrupt:
            return RungResult(
                reason=f"notice period interrupted ({self.heard.interrupt or 'cancel'})"
            )
        detail = ""
        if not effective.confirmed:
            # DOMAIN.md: never fall back silently; the date stands, marked, until data is entered.
            detail = "effective date provisional: holiday calendar missing for a year it touches"
            workflow.logger.warning("public notice date provisional: enter the holiday calendar")
        return RungResult(
            served_on=effective.value.isoformat(),
            method=Step.PUBLIC_NOTICE,
            detail=detail,
            rule="public_notice",
        )

    async def _notice_period(self, issued: date, effective: LegalDate) -> LegalDate:
        """Waits until the effective date; news of the calendar recomputes it on the way."""
        while True:
            wait = real_until_legal_date(self.plan.clock, workflow.now(), effective.value)
            await self._wait(
                lambda: self.calendar_news, wait, f"notice period until {effective.value}"
            )
            if self.heard.cancelled or self.heard.interrupt:
                return effective
            news, self.calendar_news = self.calendar_news, False
            # A provisional date is checked once more when it comes: the year may be entered
            # by now even if no signal reached this run.
            if not (news or not effective.confirmed) or not shape.patched(RECHECK_PATCH):
                return effective
            effective = await self._read_calendar(issued, effective, record=True)
            if legal_date(self.plan.clock, workflow.now()) >= effective.value:
                return effective

    async def _read_calendar(self, issued: date, old: LegalDate, *, record: bool) -> LegalDate:
        """Reads the entered years the period touches and recomputes the effective date."""
        years = sorted({*range(issued.year, old.value.year + 2), *self.news_years})
        read: list[AdministeredYear] = await workflow.execute_activity(
            stubs.load_calendar_years,
            CalendarYearsInput(years),
            summary=summaries.CALENDAR.format(years="、".join(str(y) for y in years)),
            **TRAIL,
        )
        self.loaded_years = (*self.loaded_years, *read)  # a later entry of a year wins
        new = notice_effective(issued, self.plan, self._calendar())
        if record and (new.value, new.confirmed) != (old.value, old.confirmed):
            rule = SERVICE_RULES["public_notice"]
            await self._note(
                "notice_effective_recomputed",
                {
                    "issued_on": issued.isoformat(),
                    "old_effective_on": old.value.isoformat(),
                    "effective_on": new.value.isoformat(),
                    "calendar": CONFIRMED if new.confirmed else PROVISIONAL,
                    "calendar_source": ", ".join(f"{y.year}: {y.source}" for y in read),
                    "rule": rule.words,
                    "article": rule.article,
                    "rule_version": SERVICE_RULE_VERSION,
                },
            )
        return new

    @workflow.signal(name=SIGNAL_CALENDAR_UPDATED)
    def calendar_updated(self, updated: CalendarUpdated) -> None:
        """Takes news that years were entered; a waiting notice recomputes its date."""
        self.news_years = tuple(sorted({*self.news_years, *updated.years}))
        self.calendar_news = True


def notice_period(plan: Plan) -> dict[str, str]:
    """Returns the plan's notice period as the trail keeps it, to recompute the date later."""
    return {
        "notice_days": str(plan.public_notice_days),
        "notice_months": str(plan.public_notice_months),
        "notice_roll": "true" if plan.public_notice_roll else "false",
    }

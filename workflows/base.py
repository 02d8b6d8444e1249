"""What every rung shares: its references, its bounded waits and its sends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

from domain.pure.activity_io import SendInput, SendResult
from domain.pure.clock import legal_date, seconds_per_day
from domain.pure.ladder import AdministeredYear, Contact
from domain.pure.legal_calendar import LegalCalendar, administered_calendar
from domain.pure.summary_texts import is_chinese, send_summary, wait_summary
from workflows.options import channel_options
from workflows.recorder import Recorder
from workflows.state import Heard


class RungBase(Recorder):
    """Base of the rungs: waits that end early on cancel or an operator's request."""

    heard: Heard
    open_order: str
    open_order_kind: str
    repaired: list[Contact]  # numbers the telecom operators found, in order
    loaded_years: tuple[AdministeredYear, ...] = ()  # entered years read after the plan

    def _calendar(self) -> LegalCalendar:
        """Returns the legal calendar with the years entered in the plan and read since."""
        # No patch needed: a plan from before calendar_years decodes without years, so its
        # replay computes on the library alone as it did; a newer plan carries its own years.
        return administered_calendar([*self.plan.calendar_years, *self.loaded_years])

    def _reference(self, step: str, attempt: int, contact: Contact) -> str:
        # Task, rung, attempt and contact: a retried activity reuses it, so providers de-duplicate.
        return (
            f"{self.inp.task_id}:{step}:{attempt}:{contact.kind}{contact.index}{contact.source[0]}"
        )

    async def _wait(self, done: Callable[[], bool], duration: timedelta, summary: str) -> bool:
        """Waits until done() or an interruption, at most duration; tells whether done() holds."""
        heard = self.heard
        if not is_chinese(summary):  # the Temporal UI speaks to clerks (metadata, not a command)
            until = legal_date(self.plan.clock, workflow.now() + duration)
            summary = wait_summary(self.step, until, grace=summary.startswith("grace"))
        try:
            await workflow.wait_condition(
                lambda: done() or heard.cancelled is not None or heard.interrupt != "",
                timeout=duration,
                timeout_summary=summary,
            )
        except TimeoutError:
            pass
        return done()

    async def _send(
        self,
        activity: Callable[[SendInput], SendResult],
        step: str,
        reference: str,
        contact: Contact,
        summary: str,
        *,
        flash: bool = False,
    ) -> SendResult | None:
        arg = SendInput(
            self.inp.task_id,
            step,
            contact,
            reference,
            seconds_per_day(self.plan.clock),
            self.plan.public_notice_days,
            flash,
        )
        if not is_chinese(summary):
            summary = send_summary(step, contact.kind, contact.label, flash=flash)
        try:
            result: SendResult = await workflow.execute_activity(
                activity,
                arg,
                activity_id=f"send-{reference}",
                summary=summary,
                **channel_options(self.plan.clock),
            )
        except ActivityError:
            await self._note("send_failed", {"to": contact.label, "why": "provider kept failing"})
            return None
        return result

"""Watches a party's projected service against its latest legal date and paces the ladder."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from temporalio import workflow
from temporalio.exceptions import ActivityError

from domain.pure import summary_texts as summaries
from domain.pure.clock import legal_date
from domain.pure.deadline_io import DeadlineFacts, DeadlineInput, DeadlineWarning
from domain.pure.ladder import Rung, Step, StepControl
from domain.pure.names import SIGNAL_HEARING_MOVED, SIGNAL_SKIP_TO_DIRECT
from domain.pure.projection import paced, project
from workflows import activity_stubs as stubs
from workflows import shape
from workflows.base import RungBase
from workflows.options import TRAIL, channel_options

# From this patch on a party reads its hearing deadline after planning, is warned about when
# its projection passes it, and climbs with shorter waits while at risk (issue 17).
DEADLINE_PATCH = "hearing-deadline-projection"
# From this patch on an operator or the judge may send the party straight to direct service.
SKIP_TO_DIRECT_PATCH = "skip-to-direct-service"
# From this patch on a moved hearing makes the party read its deadline again at the next rung.
HEARING_MOVED_PATCH = "hearing-moved-reread"
# From this patch on the plan brings the deadline's facts: one activity fewer per party.
DEADLINE_IN_PLAN_PATCH = "deadline-in-plan"


class DeadlineWatch(RungBase):
    """The deadline's part of PartyServiceWorkflow; state lives on the workflow instance."""

    deadline: DeadlineFacts | None = None
    at_risk: bool = False
    warned_on: str = ""
    to_direct: bool = False
    deadline_stale: bool = False

    async def _load_deadline(self) -> None:
        """Reads the latest legal date once, after the plan (only on the patched path)."""
        if not shape.patched(DEADLINE_PATCH):
            return
        if self.plan.deadline is not None and shape.patched(DEADLINE_IN_PLAN_PATCH):
            self.deadline = self.plan.deadline
            return
        self.deadline = await workflow.execute_activity(
            stubs.assess_deadline,
            DeadlineInput(self.inp.task_id),
            summary=summaries.DEADLINE,
            **TRAIL,
        )

    async def _watch_deadline(self, queue: Sequence[Rung]) -> None:
        """Projects the remaining rungs; warns once per later projection past the deadline."""
        if self.deadline_stale and self.deadline is not None:
            self.deadline_stale = False
            if shape.patched(HEARING_MOVED_PATCH):
                await self._reload_deadline()
        facts = self.deadline
        if facts is None or not facts.latest_on:
            self.at_risk = False
            return
        calendar = self._calendar()
        today = legal_date(self.plan.clock, workflow.now())
        odds = {o.step: o for o in facts.odds}
        latest = date.fromisoformat(facts.latest_on)
        seen = project(queue, today, odds, self.plan, calendar, latest)
        self.at_risk = seen.at_risk
        projected = seen.on.isoformat() if seen.on else "none"
        if not seen.at_risk or (self.warned_on and projected <= self.warned_on):
            return
        self.warned_on = projected
        await self._note(
            "deadline_risk",
            {"latest_on": facts.latest_on, "projected_on": "" if seen.on is None else projected,
             "confidence": f"{seen.confidence:.2f}", "rule": facts.rule,
             "article": facts.article, "rule_version": facts.rule_version,
             "remedies": "direct, contacts, move_hearing"},
        )  # fmt: skip
        try:
            await self._warn_judge(facts, seen.on, seen.confidence)
        except ActivityError:
            # The judge's SMS must never hold the ladder; the timeline event and the stuck list
            # already carry the warning.
            await self._note("deadline_sms_failed", {"why": "SMS kept failing"})

    async def _warn_judge(self, facts: DeadlineFacts, on: date | None, confidence: float) -> None:
        await workflow.execute_activity(
            stubs.warn_deadline_risk,
            DeadlineWarning(
                self.inp.task_id,
                facts.latest_on,
                "" if on is None else on.isoformat(),
                confidence,
                facts.rule,
            ),
            summary=summaries.DEADLINE_WARNING.format(latest=facts.latest_on),
            **channel_options(self.plan.clock),
        )

    def _paced(self, rung: Rung) -> Rung:
        """Returns the rung with a shorter wait while the party is at risk."""
        return paced(rung, self.at_risk)

    @workflow.signal(name=SIGNAL_SKIP_TO_DIRECT)
    def skip_to_direct(self, _control: StepControl) -> None:
        """Gives up the current step and every rung before direct service (CPL 88)."""
        if self.step in (Step.DIRECT, Step.PUBLIC_NOTICE):
            return  # already there, or past it: nothing to skip
        self.to_direct = True
        self.heard.interrupt = "skip"

    def _jumped(self, queue: list[Rung]) -> list[Rung]:
        """Returns the queue from its direct rung on, once a skip to direct was asked for."""
        if not self.to_direct:
            return queue
        self.to_direct = False
        if not shape.patched(SKIP_TO_DIRECT_PATCH):
            return queue
        at = next((i for i, r in enumerate(queue) if r.step == Step.DIRECT), None)
        return queue if at is None else queue[at:]

    @workflow.signal(name=SIGNAL_HEARING_MOVED)
    def hearing_moved(self, _control: StepControl) -> None:
        """Marks the deadline to be read again before the next rung (the hearing moved)."""
        self.deadline_stale = True

    async def _reload_deadline(self) -> None:
        self.deadline = await workflow.execute_activity(
            stubs.assess_deadline,
            DeadlineInput(self.inp.task_id),
            summary=summaries.DEADLINE,
            **TRAIL,
        )
        self.warned_on = ""  # a new date: a projection past it is news to the judge again

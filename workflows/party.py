"""PartyServiceWorkflow: one party of one request climbs the ladder until served or out of rungs."""

from __future__ import annotations

from collections import Counter
from typing import Any

from temporalio import workflow

from domain.pure import summary_texts as summaries
from domain.pure.activity_io import PlanInput
from domain.pure.clock import legal_date
from domain.pure.ladder import (
    WORK_ORDER_OUTCOMES,
    Contact,
    ContactsChanged,
    PartyInput,
    ProviderEvent,
    Rung,
    Step,
    StepControl,
    TaskOutcome,
    TaskStatus,
    WorkOrderOutcome,
)
from domain.pure.names import (
    PARTY_WORKFLOW,
    QUERY_PROGRESS,
    SIGNAL_CANCEL,
    SIGNAL_CONTACTS_CHANGED,
    SIGNAL_PROVIDER_EVENT,
    SIGNAL_RETRY_STEP,
    SIGNAL_SKIP_STEP,
    UPDATE_WORK_ORDER_OUTCOME,
)
from domain.pure.served_on import SERVICE_RULE_VERSION, SERVICE_RULES
from workflows import activity_stubs as stubs
from workflows import shape
from workflows.contacts import ContactRungs, notice_stopped_by_contacts
from workflows.deadline import DeadlineWatch
from workflows.late import LATE_SERVICE_PATCH
from workflows.options import TRAIL
from workflows.rungs import Rungs
from workflows.state import Heard, RungResult

# From this patch on "serving" reaches the search attributes with the first rung's step.
FIRST_STEP_PATCH = "serving-published-with-first-step"


@workflow.defn(name=PARTY_WORKFLOW)
class PartyServiceWorkflow(DeadlineWatch, ContactRungs, Rungs):
    """Runs one party's plan rung by rung; outside events arrive as signals and updates."""

    def __init__(self) -> None:
        self.heard = Heard()
        self.open_order = ""
        self.open_order_kind = ""
        self.attempts: Counter[str] = Counter()
        self.repaired_after_mail = False
        self.repaired: list[Contact] = []
        self.earlier_electronic: dict[str, bool] = {}
        self.earlier_letters: dict[str, bool] = {}

    @workflow.run
    async def run(self, inp: PartyInput) -> TaskOutcome:
        """Plans, climbs the ladder and records how the party was served (or why not)."""
        self.inp = inp
        shape.begin()
        self.late_counts = shape.patched(LATE_SERVICE_PATCH)
        now = workflow.now()
        self.plan = await workflow.execute_activity(
            stubs.plan_service,
            PlanInput(
                inp.task_id,
                workflow.info().workflow_id,
                inp.clock,
                now.isoformat(),
                legal_date(inp.clock, now).isoformat(),
            ),
            summary=summaries.PLAN,
            **TRAIL,
        )
        queue = list(self.plan.rungs)
        # The first rung publishes status and step in one upsert: one event fewer (issue 16).
        # A repair first, or no rung at all, shows "serving" at once as before.
        together = bool(queue) and not self.plan.repair and shape.patched(FIRST_STEP_PATCH)
        await self._set_status(TaskStatus.SERVING, publish=not together)
        if self.plan.repair:
            queue = await self._repair(queue)
        await self._load_deadline()
        await self._watch_deadline(queue)
        while queue and self.heard.cancelled is None:
            rung = queue.pop(0)
            # A receipt of an earlier rung served meanwhile: no further rung (issue 12, item 4).
            result = RungResult() if self._late() else await self._climb(self._paced(rung))
            if self.heard.cancelled is not None:
                break
            result = await self._first_service(result)
            if result.served_on:
                return await self._finish(
                    TaskStatus.SERVED,
                    result.method,
                    result.served_on,
                    result.detail,
                    rule=result.rule,
                )
            queue = await self._after_failure(rung, result, queue)
            queue = self._jumped(queue)  # the judge's or an operator's remedy
            await self._watch_deadline(queue)  # the ladder slipped: is the hearing still safe?
        if self.heard.cancelled is not None:
            return await self._finish(
                TaskStatus.CANCELLED, reason=self.heard.cancelled.reason or "cancelled"
            )
        late = await self._first_service(RungResult())
        if late.served_on and self.heard.cancelled is None:
            return await self._finish(
                TaskStatus.SERVED, late.method, late.served_on, late.detail, rule=late.rule
            )
        return await self._finish(TaskStatus.FAILED, reason=self._failure_reason())

    async def _climb(self, rung: Rung) -> RungResult:
        self.attempts[rung.step] += 1
        self.heard.interrupt = ""
        self.step = rung.step
        self._publish()
        await self._record(
            "step_started",
            {
                "reason": rung.reason,
                "contacts": ", ".join(c.label for c in rung.contacts),
                "attempt": str(self.attempts[rung.step]),
            },
            count_attempt=True,
        )
        runner = {
            Step.ELECTRONIC: self.electronic,
            Step.PHONE: self.phone,
            Step.MAIL: self.mail,
            Step.DIRECT: self.direct,
            Step.PUBLIC_NOTICE: self.public_notice,
        }[Step(rung.step)]
        return await runner(rung, self.attempts[rung.step])

    async def _after_failure(self, rung: Rung, result: RungResult, queue: list[Rung]) -> list[Rung]:
        interrupt = self.heard.interrupt
        self.heard.interrupt = ""
        if interrupt == "retry":
            await self._note("step_retried", {"by": "operator"})
            return [rung, *queue]
        reason = "skipped by an operator" if interrupt == "skip" else result.reason
        await self._note("step_failed", {"reason": reason})
        queue = [*result.next_rungs, *[r for r in queue if not _replaced(r, result.next_rungs)]]
        if rung.step == Step.MAIL and "returned" in result.reason and not self.repaired_after_mail:
            self.repaired_after_mail = True
            queue = [*await self._repair_after_returned_mail(), *queue]
        if self.heard.new_contacts:
            resumed = [rung] if notice_stopped_by_contacts(rung, interrupt) else []
            queue = [*await self._rungs_for_new_contacts(), *resumed, *queue]
        return queue

    def _failure_reason(self) -> str:
        notes = [s for s in self.plan.skipped if s.startswith("public notice not allowed")]
        return notes[0] if notes else "every rung of the plan failed"

    async def _finish(
        self,
        status: TaskStatus,
        method: str = "",
        served_on: str = "",
        detail: str = "",
        reason: str = "",
        *,
        rule: str = "",
    ) -> TaskOutcome:
        self.status = status
        self._publish()
        await self._record(
            "finished",
            {
                "status": status,
                "method": method,
                "served_on": served_on,
                "detail": detail,
                "reason": reason,
                **_rule_words(rule),
            },
            status=status,
            method=method,
            served_on=served_on,
            reason=reason,
        )
        return TaskOutcome(self.inp.task_id, status, method, served_on, reason)

    @workflow.signal(name=SIGNAL_PROVIDER_EVENT)
    def provider_event(self, event: ProviderEvent) -> None:
        """Takes a delivery report, portal receipt or tracking event."""
        self.heard.add_event(event)
        self._hear_late()

    @workflow.signal(name=SIGNAL_CANCEL)
    def cancel(self, control: StepControl) -> None:
        """Stops the ladder at whatever rung it is on."""
        if self.heard.cancelled is None:
            self.heard.cancelled = control

    @workflow.signal(name=SIGNAL_RETRY_STEP)
    def retry_step(self, _control: StepControl) -> None:
        """Ends the current wait and runs the current step again."""
        self.heard.interrupt = "retry"

    @workflow.signal(name=SIGNAL_SKIP_STEP)
    def skip_step(self, _control: StepControl) -> None:
        """Gives up the current step and goes on with the ladder."""
        self.heard.interrupt = "skip"

    @workflow.signal(name=SIGNAL_CONTACTS_CHANGED)
    def contacts_changed(self, changed: ContactsChanged) -> None:
        """Queues new contacts; a running public notice stops, since the party can be reached."""
        self.heard.new_contacts.append(changed)
        if self.step == Step.PUBLIC_NOTICE:
            self.heard.interrupt = "contacts"

    # An update, not a signal: the clerk must learn at once whether the outcome was taken.
    @workflow.update(name=UPDATE_WORK_ORDER_OUTCOME)
    def record_work_order_outcome(self, outcome: WorkOrderOutcome) -> str:
        """Takes a clerk's or bailiff's outcome for the open work order."""
        self.heard.outcomes[outcome.work_order_id] = outcome
        return "accepted"

    @record_work_order_outcome.validator
    def _check_outcome(self, outcome: WorkOrderOutcome) -> None:
        if outcome.work_order_id != self.open_order or outcome.work_order_id in self.heard.outcomes:
            raise ValueError("work order is not open")
        if outcome.outcome not in WORK_ORDER_OUTCOMES[self.open_order_kind]:
            raise ValueError(f"outcome does not fit a {self.open_order_kind} work order")

    @workflow.query(name=QUERY_PROGRESS)
    def progress(self) -> dict[str, Any]:
        """Returns the current step, status and open work order."""
        return {
            "step": self.step,
            "status": self.status,
            "open_work_order": self.open_order,
            "attempts": dict(self.attempts),
        }


def _rule_words(code: str) -> dict[str, str]:
    # Each serving decision names its rule and article, so a judge can check it (issue 12).
    rule = SERVICE_RULES.get(code)
    if rule is None:
        return {}
    return {"rule": rule.words, "article": rule.article, "rule_version": SERVICE_RULE_VERSION}


def _replaced(rung: Rung, inserted: list[Rung]) -> bool:
    # A rung the clerk's outcome re-planned (e.g. mail to a confirmed address) replaces the
    # planned rung of the same step, so the party is not posted to twice.
    return any(r.step == rung.step == Step.MAIL for r in inserted)

"""The rungs people climb: a clerk's call and a bailiff's visit, through work orders."""

from __future__ import annotations

import math
from datetime import timedelta

from temporalio import workflow

from domain.activity_io import CloseWorkOrderInput, ContactsInput, OpenWorkOrderInput
from domain.clock import legal_date, real_duration, real_until_legal_date
from domain.ladder import Contact, Rung, Step, TaskStatus, WorkOrderOutcome
from workflows.base import RungBase
from workflows.options import TRAIL
from workflows.state import RungResult

with workflow.unsafe.imports_passed_through():
    from activities.trail import TrailActivities
    from activities.work_orders import WorkOrderActivities
    from domain.legal_calendar import LegalCalendar

# Work orders opened from this patch on fall due after workdays, not calendar days.
BUSINESS_DAYS_PATCH = "work-orders-in-workdays"


class PeopleRungs(RungBase):
    """Phone and direct service: open a work order, wait for its outcome or deadline."""

    async def work_order(self, rung: Rung, attempt: int) -> WorkOrderOutcome | None:
        """Opens a work order for a clerk or bailiff and waits for its outcome or deadline."""
        kind = "phone" if rung.step == Step.PHONE else "direct"
        duration = self._work_order_duration(rung)
        due = workflow.now() + duration
        due_day = legal_date(self.plan.clock, due).isoformat()
        order_id = await workflow.execute_activity_method(
            WorkOrderActivities.open_work_order,
            OpenWorkOrderInput(
                self.inp.task_id,
                f"{workflow.info().run_id}:{kind}:{attempt}",
                kind,
                due.isoformat(),
                rung.reason,
            ),
            summary=f"open {kind} work order",
            **TRAIL,
        )
        self.open_order, self.open_order_kind = order_id, kind
        await self._set_status(TaskStatus.WAITING_HUMAN)
        await self._wait(
            lambda: order_id in self.heard.outcomes,
            duration,
            f"wait for {'clerk' if kind == 'phone' else 'bailiff'} outcome, due {due_day}",
        )
        self.open_order = ""
        outcome = self.heard.outcomes.get(order_id)
        closing = outcome.outcome if outcome else self._unanswered()
        await workflow.execute_activity_method(
            WorkOrderActivities.close_work_order,
            CloseWorkOrderInput(
                order_id, closing, outcome.note if outcome else "", outcome.actor if outcome else ""
            ),
            summary=f"close work order: {closing}",
            **TRAIL,
        )
        await self._set_status(TaskStatus.SERVING)
        return outcome

    def _work_order_duration(self, rung: Rung) -> timedelta:
        """Returns the wait until the order is due: N workdays, to the end of the due day."""
        if not (rung.business_days and workflow.patched(BUSINESS_DAYS_PATCH)):
            return real_duration(self.plan.clock, rung.wait_days)
        now = workflow.now()
        today = legal_date(self.plan.clock, now)
        due = LegalCalendar().add_workdays(today, math.ceil(rung.wait_days))
        return real_until_legal_date(self.plan.clock, now, due.value + timedelta(days=1))

    def _unanswered(self) -> str:
        if self.heard.cancelled:
            return "cancelled"
        return {"skip": "skipped", "retry": "withdrawn"}.get(self.heard.interrupt, "expired")

    async def phone(self, rung: Rung, attempt: int) -> RungResult:
        """Runs the clerk's call; its outcome may serve (simple means) or steer the ladder."""
        outcome = await self.work_order(rung, attempt)
        if outcome is None:
            return RungResult(reason="no outcome from the clerk before the deadline")
        today = legal_date(self.plan.clock, workflow.now()).isoformat()
        reached = outcome.outcome in ("reached_consented", "reached_address_confirmed")
        if reached and self.plan.simple_means:
            return RungResult(
                served_on=today,
                method=Step.PHONE,
                detail="confirmation recorded by the clerk (simple means)",
            )
        if outcome.outcome == "reached_consented":
            return RungResult(
                reason="party consented on the phone: electronic service next",
                next_rungs=[self._consented_rung()],
            )
        if outcome.outcome == "reached_address_confirmed":
            return RungResult(
                reason="party confirmed an address: mail there next",
                next_rungs=[await self._confirmed_mail_rung(outcome)],
            )
        return RungResult(reason=f"clerk: {outcome.outcome}")

    def _consented_rung(self) -> Rung:
        phones = [
            Contact(c.kind, c.index, c.label, True, c.source)
            for r in self.plan.rungs
            if r.step == Step.ELECTRONIC
            for c in r.contacts
        ]
        return Rung(
            Step.ELECTRONIC,
            self.plan.rungs[0].wait_days,
            "consent given to the clerk: the delivery report now serves (CPL 90)",
            phones,
        )

    async def _confirmed_mail_rung(self, outcome: WorkOrderOutcome) -> Rung:
        indexes = (
            [outcome.new_address_index]
            if outcome.new_address_index >= 0
            else [c.index for r in self.plan.rungs if r.step == Step.MAIL for c in r.contacts]
        )
        contacts: list[Contact] = await workflow.execute_activity_method(
            TrailActivities.load_contacts,
            ContactsInput(self.inp.task_id, addresses=indexes, confirmed_addresses=True),
            summary="load confirmed address",
            **TRAIL,
        )
        return Rung(Step.MAIL, 10.0, "address confirmed to the clerk (送达地址确认书)", contacts)

    async def direct(self, rung: Rung, attempt: int) -> RungResult:
        """Runs the bailiff's visit; served in person or left at the address serves that day."""
        outcome = await self.work_order(rung, attempt)
        if outcome is None:
            return RungResult(reason="no outcome from the bailiff before the deadline")
        if outcome.outcome in ("served_in_person", "left_at_address"):
            today = legal_date(self.plan.clock, workflow.now()).isoformat()
            return RungResult(served_on=today, method=Step.DIRECT, detail=outcome.outcome)
        return RungResult(reason=f"bailiff: {outcome.outcome}")

"""The rungs people climb: a clerk's call and a bailiff's visit, through work orders."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import Any

from temporalio import workflow

from domain.pure import summary_texts as texts
from domain.pure.activity_io import (
    CloseWorkOrderInput,
    ContactsInput,
    OpenWorkOrderInput,
    WorkOrderAlertInput,
    WorkOrderPolicyInput,
)
from domain.pure.clock import legal_date, real_duration, real_until_legal_date, seconds_per_day
from domain.pure.ladder import Contact, Rung, Step, TaskStatus, WorkOrderOutcome
from domain.pure.legal_calendar import LegalCalendar
from domain.pure.served_on import act_date
from workflows import activity_stubs as stubs
from workflows import shape
from workflows.late import LateService
from workflows.options import TRAIL
from workflows.state import RungResult
from workflows.writes import write

# Work orders opened from this patch on fall due after workdays, not calendar days.
BUSINESS_DAYS_PATCH = "work-orders-in-workdays"
# From this patch on an order reminds its holder before the due time, escalates at it and
# expires only after a grace period.
ALERTS_PATCH = "work-order-reminder-escalation-grace"
# From this patch on a number the party gave the clerk is tried by the ladder.
NEW_PHONE_PATCH = "work-order-new-phone-tried"
# From these patches on the centre's timing comes with the plan and an order is closed by a
# local activity: two activities and two workflow tasks fewer per work order (issue 16).
POLICY_IN_PLAN_PATCH = "work-order-policy-in-plan"
CLOSED_LOCALLY_PATCH = "work-order-closed-locally"


class PeopleRungs(LateService):
    """Phone and direct service: open a work order, wait for its outcome or deadline."""

    async def work_order(self, rung: Rung, attempt: int) -> WorkOrderOutcome | None:
        """Opens a work order for a clerk or bailiff and waits for its outcome or deadline."""
        kind = "phone" if rung.step == Step.PHONE else "direct"
        duration = self._work_order_duration(rung)
        due = workflow.now() + duration
        due_day = legal_date(self.plan.clock, due).isoformat()
        order_id = await workflow.execute_activity(
            stubs.open_work_order,
            OpenWorkOrderInput(
                self.inp.task_id,
                f"{workflow.info().run_id}:{kind}:{attempt}",
                kind,
                due.isoformat(),
                rung.reason,
            ),
            summary=texts.OPEN_ORDER[kind],
            **TRAIL,
        )
        self.open_order, self.open_order_kind = order_id, kind
        await self._set_status(TaskStatus.WAITING_HUMAN)
        if shape.patched(ALERTS_PATCH):
            await self._wait_with_alerts(order_id, kind, due)
        else:
            await self._wait(
                lambda: order_id in self.heard.outcomes,
                duration,
                f"wait for {'clerk' if kind == 'phone' else 'bailiff'} outcome, due {due_day}",
            )
        self.open_order = ""
        outcome = self.heard.outcomes.get(order_id)
        closing = outcome.outcome if outcome else self._unanswered()
        closed = CloseWorkOrderInput(
            order_id, closing, outcome.note if outcome else "", outcome.actor if outcome else ""
        )
        summary = texts.CLOSE_ORDER.format(outcome=closing)
        await write(CLOSED_LOCALLY_PATCH, stubs.close_work_order, closed, summary)
        await self._set_status(TaskStatus.SERVING)
        return outcome

    async def _wait_with_alerts(self, order_id: str, kind: str, due: datetime) -> None:
        """Waits for the outcome: a reminder before the due time, an escalation at it, a grace."""
        policy = self.plan.work_order_policy
        if policy is None or not shape.patched(POLICY_IN_PLAN_PATCH):
            policy = await workflow.execute_activity(
                stubs.work_order_policy,
                WorkOrderPolicyInput(order_id),
                summary=texts.ORDER_POLICY,
                **TRAIL,
            )
        clock, calendar = self.plan.clock, self._calendar()
        # The due time is the end of the due day; the instant just before it names that day.
        due_day = legal_date(clock, due - timedelta(microseconds=1))
        who = "clerk" if kind == "phone" else "bailiff"
        alert = WorkOrderAlertInput(order_id, due_day.isoformat(), seconds_per_day(clock))
        if policy.remind_before_workdays > 0:
            remind_day = _workdays_before(calendar, due_day, policy.remind_before_workdays - 1)
            remind_at = workflow.now() + real_until_legal_date(clock, workflow.now(), remind_day)
            if remind_at > workflow.now() and await self._still_open(
                order_id, remind_at, f"wait for {who} outcome, reminder on {remind_day}"
            ):
                await self._alert(stubs.remind_work_order, alert, "reminded")
        if not await self._still_open(order_id, due, f"wait for {who} outcome, due {due_day}"):
            return
        await self._alert(stubs.escalate_work_order, alert, "escalated")
        if policy.grace_workdays > 0:
            last = calendar.add_workdays(due_day, policy.grace_workdays).value
            end = workflow.now() + real_until_legal_date(
                clock, workflow.now(), last + timedelta(days=1)
            )
            await self._still_open(order_id, end, f"grace for the {who} outcome, until {last}")

    async def _still_open(self, order_id: str, until: datetime, summary: str) -> bool:
        """Waits for the outcome until the instant; tells whether the order is still unanswered."""
        duration = until - workflow.now()
        done = order_id in self.heard.outcomes
        if not done and duration > timedelta(0):
            done = await self._wait(lambda: order_id in self.heard.outcomes, duration, summary)
        interrupted = self.heard.cancelled is not None or self.heard.interrupt != ""
        return not done and not interrupted

    async def _alert(self, activity: Any, alert: WorkOrderAlertInput, kind: str) -> None:
        result = await workflow.execute_activity(
            activity, alert, summary=texts.ORDER_ALERTS[kind].format(due=alert.due_day), **TRAIL
        )
        if result.sent:
            await self._note(
                f"work_order_{kind}",
                {"work_order": alert.work_order_id, "due": alert.due_day,
                 "recipients": str(result.recipients)},
            )  # fmt: skip

    def _work_order_duration(self, rung: Rung) -> timedelta:
        """Returns the wait until the order is due: N workdays, to the end of the due day."""
        if not (rung.business_days and shape.patched(BUSINESS_DAYS_PATCH)):
            return real_duration(self.plan.clock, rung.wait_days)
        now = workflow.now()
        today = legal_date(self.plan.clock, now)
        due = self._calendar().add_workdays(today, math.ceil(rung.wait_days))
        return real_until_legal_date(self.plan.clock, now, due.value + timedelta(days=1))

    def _unanswered(self) -> str:
        if self.heard.cancelled:
            return "cancelled"
        # A late service by an earlier rung withdraws the order (issue 12, item 4).
        unanswered = {"skip": "skipped", "retry": "withdrawn", "late": "withdrawn"}
        return unanswered.get(self.heard.interrupt, "expired")

    async def phone(self, rung: Rung, attempt: int) -> RungResult:
        """Runs the clerk's call; its outcome may serve (simple means) or steer the ladder."""
        outcome = await self.work_order(rung, attempt)
        if outcome is None:
            return RungResult(reason="no outcome from the clerk before the deadline")
        reached = outcome.outcome in ("reached_consented", "reached_address_confirmed")
        if reached and self.plan.simple_means:
            # The day of the call, not of the typing (issue 12, item 1): domain.pure.served_on.
            called = act_date(self.plan.clock, outcome.at, workflow.now())
            return RungResult(
                served_on=called.isoformat(),
                method=Step.PHONE,
                detail="confirmation recorded by the clerk (simple means)",
                rule="phone_simple_means",
            )
        if outcome.new_phone_index >= 0 and shape.patched(NEW_PHONE_PATCH):
            return await self._steer_to_new_phone(rung, attempt, outcome)
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

    async def _steer_to_new_phone(
        self, rung: Rung, attempt: int, outcome: WorkOrderOutcome
    ) -> RungResult:
        """Tries the number the party gave: served to it with consent, else reminded and called."""
        found: list[Contact] = await workflow.execute_activity(
            stubs.load_contacts,
            ContactsInput(self.inp.task_id, phones=[outcome.new_phone_index]),
            summary=texts.LOAD_NUMBER,
            **TRAIL,
        )
        if outcome.outcome == "reached_consented":
            return RungResult(
                reason="party consented on the phone and gave a number: electronic service next",
                next_rungs=[self._consented_rung(found)],
            )
        # Without consent an SMS only reminds (Online Rules 32); the clerk then calls the number.
        for contact in found:
            reference = self._reference("phone-sms", attempt, contact)
            await self._send(stubs.send_sms, Step.PHONE, reference, contact,
                             f"SMS reminder to {contact.label}")  # fmt: skip
        call = Rung(
            Step.PHONE, rung.wait_days, "a number the party gave the clerk: call it", found,
            rung.business_days,
        )  # fmt: skip
        rungs = [call]
        if outcome.outcome == "reached_address_confirmed":
            rungs.insert(0, await self._confirmed_mail_rung(outcome))
        return RungResult(reason=f"clerk: {outcome.outcome}, new number given", next_rungs=rungs)

    def _consented_rung(self, extra: list[Contact] | None = None) -> Rung:
        planned = [c for r in self.plan.rungs if r.step == Step.ELECTRONIC for c in r.contacts]
        # Numbers the operators found were never in the plan's rungs (self.repaired is empty
        # for runs from before the patch that keeps them).
        repaired = [c for c in self.repaired if c.kind == "phone"]
        phones = [
            Contact(c.kind, c.index, c.label, True, c.source)
            for c in [*(extra or []), *planned, *repaired]
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
        contacts: list[Contact] = await workflow.execute_activity(
            stubs.load_contacts,
            ContactsInput(self.inp.task_id, addresses=indexes, confirmed_addresses=True),
            summary=texts.LOAD_ADDRESS,
            **TRAIL,
        )
        return Rung(Step.MAIL, 10.0, "address confirmed to the clerk (送达地址确认书)", contacts)

    async def direct(self, rung: Rung, attempt: int) -> RungResult:
        """Runs the bailiff's visit; served in person or left at the address serves that day."""
        outcome = await self.work_order(rung, attempt)
        if outcome is None:
            return RungResult(reason="no outcome from the bailiff before the deadline")
        if outcome.outcome in ("served_in_person", "left_at_address"):
            # The bailiff's service.at, not the day it was typed in (issue 12, item 1).
            served = act_date(self.plan.clock, outcome.at, workflow.now())
            rule = "direct_signed" if outcome.outcome == "served_in_person" else "direct_left"
            return RungResult(
                served_on=served.isoformat(), method=Step.DIRECT, detail=outcome.outcome, rule=rule
            )
        return RungResult(reason=f"bailiff: {outcome.outcome}")


def _workdays_before(calendar: LegalCalendar, day: date, workdays: int) -> date:
    """Returns the workday that lies the given number of workdays before day (day itself at 0)."""
    while workdays > 0:
        day -= timedelta(days=1)
        if calendar.is_workday(day):
            workdays -= 1
    return day

"""The rungs of the ladder: how each step reaches the party and decides whether it served."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError

from domain.activity_io import (
    CloseWorkOrderInput,
    ContactsInput,
    OpenWorkOrderInput,
    SendInput,
    SendResult,
)
from domain.clock import legal_date, real_duration, real_until_legal_date, seconds_per_day
from domain.ladder import (
    Contact,
    Rung,
    Step,
    TaskStatus,
    WorkOrderOutcome,
)
from workflows.options import TRAIL, channel_options
from workflows.recorder import Recorder
from workflows.state import Heard, RungResult, electronic_verdict, event_date

with workflow.unsafe.imports_passed_through():
    from activities.channels.electronic import ElectronicActivities
    from activities.channels.notice import NoticeActivities
    from activities.channels.post import PostActivities
    from activities.trail import TrailActivities
    from activities.work_orders import WorkOrderActivities
    from domain.legal_calendar import LegalCalendar

SENDERS = {"phone": ElectronicActivities.send_sms, "email": ElectronicActivities.send_email}
CHANNEL_NAMES = {"phone": "SMS", "email": "e-mail"}


class Rungs(Recorder):
    """Base of PartyServiceWorkflow: one coroutine per step, reading what was heard."""

    heard: Heard
    open_order: str
    open_order_kind: str

    def _reference(self, step: str, attempt: int, contact: Contact) -> str:
        # Task, rung, attempt and contact: a retried activity reuses it, so providers de-duplicate.
        return (
            f"{self.inp.task_id}:{step}:{attempt}:{contact.kind}{contact.index}{contact.source[0]}"
        )

    async def _wait(self, done: Callable[[], bool], duration: timedelta, summary: str) -> bool:
        """Waits until done() or an interruption, at most duration; tells whether done() holds."""
        heard = self.heard
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
        activity: Callable[[Any, SendInput], SendResult],
        step: str,
        reference: str,
        contact: Contact,
        summary: str,
    ) -> bool:
        arg = SendInput(
            self.inp.task_id, step, contact, reference, seconds_per_day(self.plan.clock)
        )
        try:
            await workflow.execute_activity_method(
                activity,
                arg,
                activity_id=f"send-{reference}",
                summary=summary,
                **channel_options(self.plan.clock),
            )
        except ActivityError:
            await self._note("send_failed", {"to": contact.label, "why": "provider kept failing"})
            return False
        return True

    async def electronic(self, rung: Rung, attempt: int) -> RungResult:
        """Sends SMS and e-mail to every known address, then waits for receipts."""
        sent = {self._reference(rung.step, attempt, c): c for c in rung.contacts}
        if not sent:
            return RungResult(reason="no mobile number or e-mail to use")
        oks = await asyncio.gather(
            *(
                self._send(
                    SENDERS[c.kind], rung.step, ref, c, f"{CHANNEL_NAMES[c.kind]} to {c.label}"
                )
                for ref, c in sent.items()
            )
        )
        live = {ref for ref, ok in zip(sent, oks, strict=True) if ok}

        def settled() -> bool:
            served, failed = electronic_verdict(self.heard, self.plan.clock, sent)
            return served is not None or live <= failed

        await self._wait(
            settled,
            real_duration(self.plan.clock, rung.wait_days),
            f"wait for receipt or portal confirmation, {rung.wait_days:g} legal days",
        )
        served, failed = electronic_verdict(self.heard, self.plan.clock, sent)
        if served is not None:
            return RungResult(served_on=served.isoformat(), method=Step.ELECTRONIC)
        if live <= failed:
            return RungResult(reason="every electronic address failed")
        return RungResult(reason="no receipt that serves before the deadline")

    async def mail(self, rung: Rung, attempt: int) -> RungResult:
        """Posts to each address in turn and follows the tracking until it serves or returns."""
        for contact in rung.contacts:
            ref = self._reference(rung.step, attempt, contact)
            if not await self._send(
                PostActivities.send_letter,
                rung.step,
                ref,
                contact,
                f"court post to {contact.label}",
            ):
                continue
            await self._wait(
                lambda r=ref: self._tracking_end(r) is not None,  # type: ignore[misc]
                real_duration(self.plan.clock, rung.wait_days),
                f"wait for tracking, {rung.wait_days:g} legal days",
            )
            result = self._mail_verdict(ref, contact)
            if result is not None:
                return result
            if self.heard.cancelled or self.heard.interrupt:
                break
        return RungResult(reason="no letter was signed for")

    def _tracking_end(self, reference: str) -> str | None:
        ends = [
            e
            for e in self.heard.events_for(reference)
            if e.kind in ("signed", "refused", "returned")
        ]
        return ends[0].kind if ends else None

    def _mail_verdict(self, reference: str, contact: Contact) -> RungResult | None:
        for event in self.heard.events_for(reference):
            day = event_date(self.plan.clock, event).isoformat()
            if event.kind == "signed":
                return RungResult(served_on=day, method=Step.MAIL, detail="signed for")
            if event.kind == "refused":
                return RungResult(
                    served_on=day,
                    method=Step.MAIL,
                    detail="refused: served on the return date (rebuttable)",
                )
            if event.kind == "returned" and contact.confirmed:
                return RungResult(
                    served_on=day,
                    method=Step.MAIL,
                    detail="returned from the confirmed address: served on return",
                )
        return None

    async def work_order(self, rung: Rung, attempt: int) -> WorkOrderOutcome | None:
        """Opens a work order for a clerk or bailiff and waits for its outcome or deadline."""
        kind = "phone" if rung.step == Step.PHONE else "direct"
        duration = real_duration(self.plan.clock, rung.wait_days)
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

    async def public_notice(self, rung: Rung, attempt: int) -> RungResult:
        """Publishes the notice, then waits out the legal period on the plan's calendar."""
        contact = Contact("notice", 0, "court notice board")
        ref = self._reference(rung.step, attempt, contact)
        if not await self._send(
            NoticeActivities.publish_notice, rung.step, ref, contact, "publish public notice"
        ):
            return RungResult(reason="the notice board kept failing")
        issued = legal_date(self.plan.clock, workflow.now())
        effective = LegalCalendar().add_days(issued, self.plan.public_notice_days, roll=True)
        await self._note(
            "notice_published",
            {
                "issued_on": issued.isoformat(),
                "effective_on": effective.value.isoformat(),
                "calendar": "confirmed" if effective.confirmed else "unconfirmed (provisional)",
            },
        )
        wait = real_until_legal_date(self.plan.clock, workflow.now(), effective.value)
        await self._wait(lambda: False, wait, f"notice period until {effective.value.isoformat()}")
        if self.heard.cancelled or self.heard.interrupt:
            return RungResult(
                reason=f"notice period interrupted ({self.heard.interrupt or 'cancel'})"
            )
        detail = "" if effective.confirmed else "effective date provisional: calendar data missing"
        return RungResult(
            served_on=effective.value.isoformat(), method=Step.PUBLIC_NOTICE, detail=detail
        )

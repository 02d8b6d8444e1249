"""The machine-run rungs: how electronic service, mail and notice reach the party and serve."""

from __future__ import annotations

import asyncio
import math

from temporalio import workflow
from temporalio.exceptions import ActivityError

from domain.pure import summary_texts as summaries
from domain.pure.activity_io import TrackInput, TrackResult
from domain.pure.clock import real_duration
from domain.pure.ladder import Contact, Rung, Step
from domain.pure.names import FLASH_REFERENCE_SUFFIX
from domain.pure.served_on import electronic_served, letter_ended, mail_served
from workflows import activity_stubs as stubs
from workflows import shape
from workflows.notice import NoticeRung
from workflows.options import channel_options
from workflows.people import PeopleRungs
from workflows.state import RungResult, event_date

# Workflows started before this patch wait for webhooks only; newer ones also poll.
POSTAL_POLLING_PATCH = "postal-tracking-polling"

# Electronic rungs from this patch on add a flash SMS reminder (DOMAIN.md: reminder only).
FLASH_REMINDER_PATCH = "flash-sms-reminder"

# From this patch on a refused letter is followed until it comes back and serves on the return
# date, only at a confirmed address and never for a mediation statement (issue 12, item 2).
REFUSAL_ON_RETURN_PATCH = "refusal-serves-on-return"

SENDERS = {"phone": stubs.send_sms, "email": stubs.send_email}
CHANNEL_NAMES = {"phone": "SMS", "email": "e-mail"}


class Rungs(NoticeRung, PeopleRungs):
    """The machine-run rungs: electronic, mail and public notice (workflows/notice.py)."""

    async def electronic(self, rung: Rung, attempt: int) -> RungResult:
        """Sends SMS and e-mail to every known address, then waits for receipts."""
        sent = {self._reference(rung.step, attempt, c): c for c in rung.contacts}
        if not sent:
            return RungResult(reason="no mobile number or e-mail to use")
        sent_at = workflow.now()
        oks = await asyncio.gather(
            *(
                self._send(
                    SENDERS[c.kind], rung.step, ref, c, f"{CHANNEL_NAMES[c.kind]} to {c.label}"
                )
                for ref, c in sent.items()
            )
        )
        live = {ref for ref, ok in zip(sent, oks, strict=True) if ok}
        if shape.patched(FLASH_REMINDER_PATCH):
            await self._flash_reminders(rung, {ref: c for ref, c in sent.items() if ref in live})

        covered = {ref: c.confirmed for ref, c in sent.items()}

        def settled() -> bool:
            served, failed = electronic_served(self.plan.clock, self.heard.events, covered, sent_at)
            return served is not None or live <= failed

        await self._wait(
            settled,
            real_duration(self.plan.clock, rung.wait_days),
            f"wait for receipt or portal confirmation, {rung.wait_days:g} legal days",
        )
        served, failed = electronic_served(self.plan.clock, self.heard.events, covered, sent_at)
        if served is not None:
            return RungResult(
                served_on=served.on.isoformat(), method=Step.ELECTRONIC, rule=served.rule
            )
        self.earlier_electronic.update(covered)  # a late confirmation still serves
        if live <= failed:
            return RungResult(reason="every electronic address failed")
        return RungResult(reason="no receipt that serves before the deadline")

    async def _flash_reminders(self, rung: Rung, sent: dict[str, Contact]) -> None:
        """Flashes a short reminder to each reached phone: never proof, never the only channel."""
        await asyncio.gather(
            *(
                self._send(
                    SENDERS["phone"],
                    rung.step,
                    f"{ref}{FLASH_REFERENCE_SUFFIX}",
                    contact,
                    f"flash reminder to {contact.label}",
                    flash=True,
                )
                for ref, contact in sent.items()
                if contact.kind == "phone"
            )
        )

    async def mail(self, rung: Rung, attempt: int) -> RungResult:
        """Posts to each address in turn and follows the tracking until it serves or returns."""
        outcomes: list[str] = []
        exact = shape.patched(REFUSAL_ON_RETURN_PATCH)
        for contact in rung.contacts:
            ref = self._reference(rung.step, attempt, contact)
            sent = await self._send(
                stubs.send_letter,
                rung.step,
                ref,
                contact,
                f"court post to {contact.label}",
            )
            if sent is None:
                continue
            await self._follow_letter(ref, sent.provider_id, rung.wait_days, exact)
            result = (
                self._exact_verdict(ref, contact) if exact else self._mail_verdict(ref, contact)
            )
            if result is not None:
                return result
            self.earlier_letters[ref] = contact.confirmed  # a late signature still serves
            outcomes.append(f"{contact.label} {self._tracking_summary(ref)}")
            if self.heard.cancelled or self.heard.interrupt:
                break
        return RungResult(reason="no letter served: " + "; ".join(outcomes or ["nothing posted"]))

    async def _follow_letter(
        self, reference: str, waybill: str, wait_days: float, exact: bool = False
    ) -> None:
        """Waits for tracking webhooks; from the patch on, polls once a legal day as a fallback."""

        def done() -> bool:
            if exact:
                return letter_ended(self.heard.events_for(reference))
            return self._tracking_end(reference) is not None

        if not shape.patched(POSTAL_POLLING_PATCH):
            await self._wait(
                done,
                real_duration(self.plan.clock, wait_days),
                f"wait for tracking, {wait_days:g} legal days",
            )
            return
        for day in range(1, math.ceil(wait_days) + 1):
            if await self._wait(
                done,
                real_duration(self.plan.clock, min(1.0, wait_days - day + 1)),
                f"wait for tracking, day {day} of {wait_days:g}",
            ):
                return
            if self.heard.cancelled or self.heard.interrupt:
                return
            await self._poll_tracking(reference, waybill)
            if done():
                return

    async def _poll_tracking(self, reference: str, waybill: str) -> None:
        try:
            tracked: TrackResult = await workflow.execute_activity(
                stubs.track_letter,
                TrackInput(reference, waybill),
                summary=summaries.TRACK.format(waybill=waybill),
                **channel_options(self.plan.clock),
            )
        except ActivityError:
            return  # the post office's tracking is down: the webhooks may still come
        for event in tracked.events:
            self.heard.add_event(event)

    def _tracking_summary(self, reference: str) -> str:
        for event in self.heard.events_for(reference):
            if event.kind == "returned":
                return f"returned ({event.detail.get('reason', 'no reason given')})"
        return "not signed for before the deadline"

    def _tracking_end(self, reference: str) -> str | None:
        ends = [
            e
            for e in self.heard.events_for(reference)
            if e.kind in ("signed", "refused", "returned")
        ]
        return ends[0].kind if ends else None

    def _exact_verdict(self, reference: str, contact: Contact) -> RungResult | None:
        served = mail_served(
            self.plan.clock,
            self.heard.events_for(reference),
            address_ok=contact.confirmed,
            mediation=self.plan.mediation,
        )
        if served is None:
            return None
        return RungResult(
            served_on=served.on.isoformat(), method=Step.MAIL, detail=served.rule, rule=served.rule
        )

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

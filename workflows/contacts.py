"""The contacts a ladder learns on the way: numbers from the telecom operators, new contacts.

A mixin of PartyServiceWorkflow; its patches keep the ids they had in party.py.
"""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ActivityError

from domain.pure import summary_texts as summaries
from domain.pure.activity_io import ContactsInput, RepairInput
from domain.pure.ladder import Contact, Rung, Step
from workflows import activity_stubs as stubs
from workflows import shape
from workflows.base import RungBase
from workflows.options import TRAIL, channel_options

# From this patch on, a returned letter makes the workflow ask the operators again.
REPAIR_AFTER_MAIL_PATCH = "repair-after-returned-mail"
# From this patch on, numbers the operators found keep the rung's workday count, join the rung
# a clerk's consent sends back to, and count as tried when a returned letter asks again.
REPAIRED_NUMBERS_PATCH = "repaired-numbers-kept"
# From this patch on, a notice stopped by new contacts is published again if they fail too.
NOTICE_RESUMES_PATCH = "notice-resumes-after-new-contacts"


class ContactRungs(RungBase):
    """Repairs numbers through the operators and turns new contacts into rungs."""

    async def _repair(self, queue: list[Rung]) -> list[Rung]:
        """Asks the operators for numbers; found ones join the electronic and phone rungs."""
        found = await self._ask_operators(1)
        kept = shape.patched(REPAIRED_NUMBERS_PATCH)
        if kept:
            self.repaired.extend(found)
        rungs = [_with_contacts(r, found, kept) for r in queue]
        return [r for r in rungs if r.contacts or r.step not in (Step.ELECTRONIC, Step.PHONE)]

    async def _ask_operators(self, round_: int) -> list[Contact]:
        ref = f"{self.inp.task_id}:repair:{round_}"
        try:
            result = await workflow.execute_activity(
                stubs.repair_numbers,
                RepairInput(self.inp.task_id, ref),
                activity_id=f"repair-{ref}",
                summary=summaries.REPAIR,
                **channel_options(self.plan.clock),
            )
        except ActivityError:
            result = None
        found = result.contacts if result else []
        await self._note("repair", {"found": ", ".join(c.label for c in found) or "nothing"})
        return found

    async def _repair_after_returned_mail(self) -> list[Rung]:
        """The address failed: the operators may know a number the ladder has not tried."""
        if self.inp.party_kind != "person" or not shape.patched(REPAIR_AFTER_MAIL_PATCH):
            return []
        planned = [c for r in self.plan.rungs for c in r.contacts]
        tried = {(c.kind, c.source, c.index) for c in [*planned, *self.repaired]}
        fresh = [
            c for c in await self._ask_operators(2) if (c.kind, c.source, c.index) not in tried
        ]
        if shape.patched(REPAIRED_NUMBERS_PATCH):
            self.repaired.extend(fresh)
        if not fresh:
            return []
        reason = "numbers repaired after the letter came back: try them before the bailiff"
        return [
            Rung(Step.ELECTRONIC, 3.0, reason, fresh),
            Rung(Step.PHONE, 3.0, reason, fresh, business_days=True),
        ]

    async def _rungs_for_new_contacts(self) -> list[Rung]:
        changed, self.heard.new_contacts = self.heard.new_contacts, []
        wanted = ContactsInput(
            self.inp.task_id,
            phones=[i for c in changed for i in c.phones],
            emails=[i for c in changed for i in c.emails],
            addresses=[i for c in changed for i in c.addresses],
        )
        contacts: list[Contact] = await workflow.execute_activity(
            stubs.load_contacts, wanted, summary=summaries.LOAD_CONTACTS, **TRAIL
        )
        electronic = [c for c in contacts if c.kind in ("phone", "email")]
        postal = [c for c in contacts if c.kind == "address"]
        rungs = []
        if electronic:
            rungs.append(
                Rung(Step.ELECTRONIC, 3.0, "new contact received: try it first", electronic)
            )
        if postal:
            rungs.append(Rung(Step.MAIL, 10.0, "new address received: post there", postal))
        return rungs


def notice_stopped_by_contacts(rung: Rung, interrupt: str) -> bool:
    """Tells whether new contacts stopped a notice that must be published again if they fail."""
    # The notice is the last resort: new contacts go first, and if they fail the notice is
    # published again (its period starts anew), instead of the ladder ending failed.
    stopped = rung.step == Step.PUBLIC_NOTICE and interrupt == "contacts"
    return stopped and shape.patched(NOTICE_RESUMES_PATCH)


def _with_contacts(rung: Rung, repaired: list[Contact], keep_workdays: bool) -> Rung:
    if rung.step not in (Step.ELECTRONIC, Step.PHONE):
        return rung
    # Before the patch the rung lost its workday count (a call fell due in calendar days).
    workdays = rung.business_days and keep_workdays
    return Rung(rung.step, rung.wait_days, rung.reason, [*rung.contacts, *repaired], workdays)

"""Outside control of a running ladder: cancel, retry, skip and new contacts mid-rung."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.pure.ladder import ContactsChanged, Step, StepControl, TaskStatus
from domain.pure.names import (
    SIGNAL_CANCEL,
    SIGNAL_CONTACTS_CHANGED,
    SIGNAL_RETRY_STEP,
    SIGNAL_SKIP_STEP,
)
from tests.workflows.harness import EMAIL, HOME, PHONE, Ladder, plan, rung
from tests.workflows.stubs import Letter, Script, open_order

OPS = StepControl("ops-test", "withdrawn by the court")
# The call each rung makes once it is under way, and how its work order (if any) closes.
UNDER_WAY = {
    Step.ELECTRONIC: ("send_email", []),
    Step.PHONE: ("open_work_order", [("wo-phone-1", "cancelled")]),
    Step.MAIL: ("send_letter", []),
    Step.DIRECT: ("open_work_order", [("wo-direct-1", "cancelled")]),
    Step.PUBLIC_NOTICE: ("publish_notice", []),
}
CONTACTS = {
    Step.ELECTRONIC: [PHONE, EMAIL],
    Step.PHONE: [PHONE],
    Step.MAIL: [HOME],
    Step.DIRECT: [HOME],
}


@pytest.mark.parametrize("step", list(UNDER_WAY))
async def test_cancel_stops_the_ladder_at_each_rung(ladder: Ladder, step: Step) -> None:
    """A cancel ends the rung at once, closes its work order and ends the task cancelled."""
    script = Script(plan(rung(step, *CONTACTS.get(step, [])), rung(Step.PUBLIC_NOTICE)))
    handle = await ladder.start(script)
    call, closed = UNDER_WAY[step]
    await script.wait_for(call)
    await handle.signal(SIGNAL_CANCEL, OPS)
    outcome = await ladder.result(handle)
    assert (outcome.status, outcome.reason) == (TaskStatus.CANCELLED, OPS.reason)
    assert script.steps() == [step]
    assert script.closed() == closed
    assert script.legal_time() < timedelta(hours=1)


async def test_retry_sends_the_electronic_step_again(ladder: Ladder) -> None:
    """A retry ends the wait and sends again under a new attempt's references."""
    script = Script(plan(rung(Step.ELECTRONIC, EMAIL)))
    handle = await ladder.start(script)
    await script.wait_for("send_email")
    await handle.signal(SIGNAL_RETRY_STEP, OPS)
    await script.wait_for("send_email", 2)
    outcome = await ladder.result(handle)
    assert outcome.status == TaskStatus.FAILED
    assert script.steps() == [Step.ELECTRONIC, Step.ELECTRONIC]
    first, second = (a.reference for a in script.arguments("send_email"))
    assert (":electronic:1:" in first, ":electronic:2:" in second) == (True, True)
    assert len(script.trail("step_retried")) == 1


async def test_retry_withdraws_the_work_order_and_opens_another(ladder: Ladder) -> None:
    """A retry of the clerk's call withdraws the open order and opens a second one."""
    script = Script(plan(rung(Step.PHONE, PHONE)))
    handle = await ladder.start(script)
    await open_order(ladder.env.client, handle.id, "wo-phone-1")
    await handle.signal(SIGNAL_RETRY_STEP, OPS)
    await script.wait_for("open_work_order", 2)
    await ladder.result(handle)
    assert script.closed() == [("wo-phone-1", "withdrawn"), ("wo-phone-2", "expired")]
    assert [a.order_key.rsplit(":", 2)[1:] for a in script.arguments("open_work_order")] == [
        ["phone", "1"],
        ["phone", "2"],
    ]


async def test_skip_moves_on_without_waiting_out_the_rung(ladder: Ladder) -> None:
    """A skipped electronic rung gives way to the letter at once, not after three days."""
    script = Script(
        plan(rung(Step.ELECTRONIC, EMAIL), rung(Step.MAIL, HOME)), letters=[Letter(("signed", 1))]
    )
    handle = await ladder.start(script)
    await script.wait_for("send_email")
    await handle.signal(SIGNAL_SKIP_STEP, OPS)
    outcome = await ladder.result(handle)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.MAIL)
    assert script.failures() == ["skipped by an operator"]
    assert timedelta(days=1) <= script.legal_time() < timedelta(days=2)


async def test_skip_closes_the_bailiff_order(ladder: Ladder) -> None:
    """A skipped visit closes its order as skipped and the notice follows."""
    script = Script(plan(rung(Step.DIRECT, HOME), rung(Step.PUBLIC_NOTICE)))
    handle = await ladder.start(script)
    await open_order(ladder.env.client, handle.id, "wo-direct-1")
    await handle.signal(SIGNAL_SKIP_STEP, OPS)
    outcome = await ladder.result(handle)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.PUBLIC_NOTICE)
    assert script.closed() == [("wo-direct-1", "skipped")]


async def test_new_contacts_mid_rung_are_tried_next(ladder: Ladder) -> None:
    """Contacts added during the clerk's call are tried right after it, before the bailiff."""
    script = Script(
        plan(rung(Step.PHONE, PHONE), rung(Step.DIRECT, HOME)), receipts={"email": "confirmed"}
    )
    handle = await ladder.start(script)
    await open_order(ladder.env.client, handle.id, "wo-phone-1")
    await handle.signal(SIGNAL_CONTACTS_CHANGED, ContactsChanged(emails=[1], addresses=[2]))
    outcome = await ladder.result(handle)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.ELECTRONIC)
    assert script.steps() == [Step.PHONE, Step.ELECTRONIC]
    loaded = script.arguments("load_contacts")[0]
    assert (loaded.emails, loaded.addresses) == ([1], [2])
    assert script.arguments("send_email")[0].contact.index == 1


async def test_new_address_mid_rung_is_posted_to_before_the_bailiff(ladder: Ladder) -> None:
    """A new address gets a letter of its own before the planned visit."""
    script = Script(
        plan(rung(Step.PHONE, PHONE), rung(Step.DIRECT, HOME)), letters=[Letter(("signed", 2))]
    )
    handle = await ladder.start(script)
    await open_order(ladder.env.client, handle.id, "wo-phone-1")
    await handle.signal(SIGNAL_CONTACTS_CHANGED, ContactsChanged(addresses=[2]))
    outcome = await ladder.result(handle)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.MAIL)
    assert script.steps() == [Step.PHONE, Step.MAIL]
    assert script.arguments("send_letter")[0].contact.index == 2


async def test_new_contacts_stop_the_public_notice(ladder: Ladder) -> None:
    """A party who can be reached again is not left to the notice: the new e-mail serves."""
    script = Script(plan(rung(Step.PUBLIC_NOTICE)), receipts={"email": "confirmed"})
    handle = await ladder.start(script)
    await script.wait_for("publish_notice")
    await handle.signal(SIGNAL_CONTACTS_CHANGED, ContactsChanged(emails=[1]))
    outcome = await ladder.result(handle)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.ELECTRONIC)
    assert script.failures() == ["notice period interrupted (contacts)"]


async def test_notice_resumes_when_the_new_contacts_fail(ladder: Ladder) -> None:
    """If the contacts that stopped the notice fail too, the party is served by notice after all."""
    script = Script(plan(rung(Step.PUBLIC_NOTICE)))
    handle = await ladder.start(script)
    await script.wait_for("publish_notice")
    await handle.signal(SIGNAL_CONTACTS_CHANGED, ContactsChanged(emails=[1]))
    outcome = await ladder.result(handle)
    assert script.steps() == [Step.PUBLIC_NOTICE, Step.ELECTRONIC, Step.PUBLIC_NOTICE]
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.PUBLIC_NOTICE)

"""The electronic rung: SMS and e-mail with the portal link, receipts, consent, deadline."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.pure.ladder import ProviderEvent, Step, TaskStatus
from domain.pure.names import SIGNAL_PROVIDER_EVENT
from tests.workflows.harness import EMAIL, PHONE, Ladder, consented, day, plan, rung
from tests.workflows.stubs import Script

NO_RECEIPT = "no receipt that serves before the deadline"


async def test_portal_confirmation_serves_on_the_day_sent(ladder: Ladder) -> None:
    """The party's own confirmation in the portal serves, on the day of the message."""
    script = Script(plan(rung(Step.ELECTRONIC, PHONE, EMAIL)), receipts={"email": "confirmed"})
    outcome = await ladder.run(script)
    sent = script.calls_of("send_email")[0]
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.ELECTRONIC)
    assert outcome.served_on == day(sent.at).isoformat()
    assert script.legal_time() < timedelta(hours=1)


async def test_flash_reminder_goes_to_phones_only(ladder: Ladder) -> None:
    """Each phone gets the SMS and a flash reminder; the e-mail gets one message."""
    script = Script(plan(rung(Step.ELECTRONIC, PHONE, EMAIL)), receipts={"email": "confirmed"})
    await ladder.run(script)
    sms = script.arguments("send_sms")
    assert [(a.contact, a.flash) for a in sms] == [(PHONE, False), (PHONE, True)]
    assert [a.contact for a in script.arguments("send_email")] == [EMAIL]
    assert sms[1].reference == f"{sms[0].reference}:flash"


@pytest.mark.parametrize(
    ("contact", "status", "reasons"),
    [
        (consented(PHONE), TaskStatus.SERVED, []),
        (PHONE, TaskStatus.FAILED, [NO_RECEIPT]),
    ],
    ids=["consent", "no-consent"],
)
async def test_delivery_report_serves_only_with_consent(
    ladder: Ladder, contact: object, status: TaskStatus, reasons: list[str]
) -> None:
    """A delivery report serves at a consented number (CPL 90); without consent it only reminds."""
    script = Script(plan(rung(Step.ELECTRONIC, contact)), receipts={"phone": "delivered"})  # type: ignore[arg-type]
    outcome = await ladder.run(script)
    assert outcome.status == status
    assert script.failures() == reasons


async def test_no_receipt_fails_the_rung_after_three_days(ladder: Ladder) -> None:
    """Without a receipt that serves, the rung gives up after its three legal days."""
    script = Script(plan(rung(Step.ELECTRONIC, PHONE, EMAIL)))
    outcome = await ladder.run(script)
    assert (outcome.status, outcome.reason) == (TaskStatus.FAILED, "every rung of the plan failed")
    assert script.failures() == [NO_RECEIPT]
    assert timedelta(days=3) <= script.legal_time() < timedelta(days=3, hours=1)


async def test_every_address_failing_ends_the_rung_at_once(ladder: Ladder) -> None:
    """An undeliverable SMS and a bounced e-mail end the rung without waiting out its days."""
    receipts = {"phone": "undeliverable", "email": "bounced"}
    script = Script(plan(rung(Step.ELECTRONIC, PHONE, EMAIL)), receipts=receipts)
    outcome = await ladder.run(script)
    assert outcome.status == TaskStatus.FAILED
    assert script.failures() == ["every electronic address failed"]
    assert script.legal_time() < timedelta(hours=1)


async def test_provider_that_keeps_failing_is_given_up(ladder: Ladder) -> None:
    """A provider failing every try is tried ten times, then its address counts as failed."""
    script = Script(plan(rung(Step.ELECTRONIC, PHONE, EMAIL)), failing={"send_sms", "send_email"})
    outcome = await ladder.run(script)
    assert outcome.status == TaskStatus.FAILED
    assert (len(script.calls_of("send_sms")), len(script.calls_of("send_email"))) == (10, 10)
    assert sorted(p.detail["to"] for p in script.trail("send_failed")) == [PHONE.label, EMAIL.label]
    assert script.failures() == ["every electronic address failed"]


async def test_late_confirmation_serves_on_the_day_it_came(ladder: Ladder) -> None:
    """A portal confirmation two days after the message serves on that later day."""
    script = Script(plan(rung(Step.ELECTRONIC, EMAIL)))
    handle = await ladder.start(script)
    sent = await script.wait_for("send_email")
    await ladder.env.sleep(timedelta(days=2))
    now = await ladder.env.get_current_time()
    await handle.signal(
        SIGNAL_PROVIDER_EVENT, ProviderEvent(sent.arg.reference, "confirmed", now.isoformat())
    )
    outcome = await ladder.result(handle)
    assert outcome.status == TaskStatus.SERVED
    assert outcome.served_on == (day(sent.at) + timedelta(days=2)).isoformat()

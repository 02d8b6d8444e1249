"""Issue 12, item 4: service that arrives late still counts, once, and the earliest first."""

from __future__ import annotations

from datetime import timedelta

from domain.pure.ladder import ProviderEvent, Step, TaskStatus
from domain.pure.names import SIGNAL_PROVIDER_EVENT
from tests.workflows.harness import HOME, Ladder, consented, day, plan, rung
from tests.workflows.stubs import Script


async def _signed_late(ladder: Ladder, script: Script, after: timedelta) -> tuple[object, str]:
    """Lets the mail rung's ten days pass, then the letter's signature arrives (dated day 11)."""
    handle = await ladder.start(script)
    posted = (await script.wait_for("send_letter")).at
    await ladder.env.sleep(after)
    signed = posted + timedelta(days=11)
    reference = script.arguments("send_letter")[0].reference
    event = ProviderEvent(reference, "signed", signed.isoformat())
    await handle.signal(SIGNAL_PROVIDER_EVENT, event)
    return await ladder.result(handle), day(signed).isoformat()


async def test_a_letter_signed_after_its_wait_ends_the_bailiffs_visit(ladder: Ladder) -> None:
    """Signed on day 11, after the mail rung gave up: served by mail that day; order withdrawn."""
    script = Script(plan(rung(Step.MAIL, consented(HOME)), rung(Step.DIRECT, HOME)))
    outcome, signed = await _signed_late(ladder, script, timedelta(days=12))
    assert (outcome.status, outcome.method, outcome.served_on) == (  # type: ignore[attr-defined]
        TaskStatus.SERVED, Step.MAIL, signed,
    )  # fmt: skip
    assert script.closed() == [("wo-direct-1", "withdrawn")]
    finished = script.trail("finished")
    assert len(finished) == 1 and finished[0].detail["rule"].startswith("CPL 91, signed")
    assert "late" in finished[0].detail["detail"]


async def test_a_late_signature_withdraws_the_public_notice(ladder: Ladder) -> None:
    """A notice running when the signature arrives is withdrawn; the signature's date serves."""
    script = Script(plan(rung(Step.MAIL, consented(HOME)), rung(Step.PUBLIC_NOTICE)))
    outcome, signed = await _signed_late(ladder, script, timedelta(days=14))
    assert (outcome.method, outcome.served_on) == (Step.MAIL, signed)  # type: ignore[attr-defined]
    assert len(script.trail("notice_withdrawn")) == 1

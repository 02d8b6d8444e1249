"""Issue 12, items 1 and 2: a served-on date is the legal date of the act, never of the typing."""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio.client import WorkflowHandle

from domain.pure.ladder import Plan, ProviderEvent, Step, TaskStatus, WorkOrderOutcome
from domain.pure.names import SIGNAL_PROVIDER_EVENT
from tests.workflows.harness import HOME, PHONE, Ladder, consented, day, plan, rung
from tests.workflows.stubs import Script


def bailiff(outcome: str, at: datetime) -> WorkOrderOutcome:
    """Returns an outcome recorded now for an act done at the given instant."""
    return WorkOrderOutcome("", outcome, "recorded late", "bailiff-test", at=at.isoformat())


async def test_direct_service_serves_on_the_bailiffs_time(ladder: Ladder) -> None:
    """A bailiff who served on 30 September and typed it in on 8 October: served 30 September."""
    act = datetime.fromisoformat("2026-09-30T17:00:00+08:00")
    script = Script(plan(rung(Step.DIRECT, HOME)), answers=[bailiff("served_in_person", act)])
    outcome = await ladder.run(script)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.DIRECT)
    assert outcome.served_on == "2026-09-30"
    finished = script.trail("finished")[0].detail
    assert finished["rule"] == "CPL 88, signed at direct service, served on signing"


async def test_phone_confirmation_serves_on_the_calls_time(ladder: Ladder) -> None:
    """Simple means serve on the day of the call the clerk recorded, not the day it was typed."""
    act = datetime.fromisoformat("2026-09-30T23:30:00+08:00")
    script = Script(
        plan(rung(Step.PHONE, PHONE), simple_means=True),
        answers=[bailiff("reached_consented", act)],
    )
    outcome = await ladder.run(script)
    assert (outcome.method, outcome.served_on) == (Step.PHONE, "2026-09-30")
    assert script.trail("finished")[0].detail["rule"].startswith("Interp. 261")


async def _posted(ladder: Ladder, script: Script) -> tuple[WorkflowHandle, str, datetime]:  # type: ignore[type-arg]
    handle = await ladder.start(script)
    sent = await script.wait_for("send_letter")
    return handle, sent.arg.reference, sent.at


async def _refused_then_returned(mail_plan: Plan, ladder: Ladder) -> tuple[Script, object, str]:
    """Posts a letter that is refused on day 1 and comes back to the court on day 4."""
    script = Script(mail_plan)
    handle, reference, posted = await _posted(ladder, script)
    refused = ProviderEvent(reference, "refused", (posted + timedelta(days=1)).isoformat())
    back = (posted + timedelta(days=4)).isoformat()
    returned = ProviderEvent(reference, "returned", back, {"reason": "refused"})
    await handle.signal(SIGNAL_PROVIDER_EVENT, refused)
    await handle.signal(SIGNAL_PROVIDER_EVENT, returned)
    outcome = await ladder.result(handle)
    return script, outcome, day(posted + timedelta(days=4)).isoformat()


async def test_refused_letter_serves_on_the_return_date(ladder: Ladder) -> None:
    """Refused on day 1, back at the court on day 4: served on day 4 (CPL 91, special post 11)."""
    script, outcome, back = await _refused_then_returned(
        plan(rung(Step.MAIL, consented(HOME))), ladder
    )
    assert (outcome.status, outcome.served_on) == (TaskStatus.SERVED, back)  # type: ignore[attr-defined]
    assert script.trail("finished")[0].detail["rule"] == "CPL 91, refusal, served on return"


async def test_refusal_at_an_unconfirmed_address_does_not_serve(ladder: Ladder) -> None:
    """A refusal at an address the party never confirmed serves nothing: the ladder goes on."""
    _script, outcome, _back = await _refused_then_returned(plan(rung(Step.MAIL, HOME)), ladder)
    assert outcome.status == TaskStatus.FAILED  # type: ignore[attr-defined]


async def test_refusal_never_serves_a_mediation_statement(ladder: Ladder) -> None:
    """A mediation statement needs a signature (Interp. 133): a refused one is not served."""
    mail_plan = plan(rung(Step.MAIL, consented(HOME)), mediation=True)
    _script, outcome, _back = await _refused_then_returned(mail_plan, ladder)
    assert outcome.status == TaskStatus.FAILED  # type: ignore[attr-defined]

"""The people's rungs: a clerk's call and a bailiff's visit, through work orders."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError

from domain.pure.ladder import Contact, Step, TaskStatus, WorkOrderOutcome
from domain.pure.legal_calendar import LegalCalendar
from domain.pure.names import UPDATE_WORK_ORDER_OUTCOME
from tests.workflows.harness import HOME, PHONE, Ladder, clerk, consented, day, plan, rung
from tests.workflows.stubs import Letter, Script, open_order

REPAIRED = Contact("phone", 0, "137****0001", source="repaired")


async def test_clerk_confirmation_serves_by_simple_means(ladder: Ladder) -> None:
    """Where simple means are allowed, the clerk's recorded confirmation serves that day."""
    script = Script(
        plan(rung(Step.PHONE, PHONE), simple_means=True), answers=[clerk("reached_consented")]
    )
    outcome = await ladder.run(script)
    opened = script.calls_of("open_work_order")[0]
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.PHONE)
    assert outcome.served_on == day(opened.at).isoformat()
    assert script.closed() == [("wo-phone-1", "reached_consented")]


async def test_consent_on_the_phone_makes_the_delivery_report_serve(ladder: Ladder) -> None:
    """Consent given to the clerk sends the ladder back to SMS, where delivery now serves."""
    script = Script(
        plan(rung(Step.ELECTRONIC, PHONE), rung(Step.PHONE, PHONE)),
        receipts={"phone": "delivered"},
        answers=[clerk("reached_consented")],
    )
    outcome = await ladder.run(script)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.ELECTRONIC)
    assert script.steps() == [Step.ELECTRONIC, Step.PHONE, Step.ELECTRONIC]
    retried = [a.contact for a in script.arguments("send_sms") if not a.flash][1]
    assert retried == consented(PHONE)


async def test_consent_at_a_repaired_number_makes_its_delivery_serve(ladder: Ladder) -> None:
    """Consent given on a number the operators found makes that number's delivery report serve."""
    script = Script(
        plan(rung(Step.ELECTRONIC), rung(Step.PHONE), repair=True),
        repaired={1: [REPAIRED]},
        receipts={"phone": "delivered"},
        answers=[clerk("reached_consented")],
    )
    outcome = await ladder.run(script)
    assert script.steps() == [Step.ELECTRONIC, Step.PHONE, Step.ELECTRONIC]
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.ELECTRONIC)


async def test_address_confirmed_on_the_phone_serves_by_return(ladder: Ladder) -> None:
    """An address confirmed to the clerk replaces the planned letter; its return serves."""
    script = Script(
        plan(rung(Step.PHONE, PHONE), rung(Step.MAIL, HOME)),
        answers=[clerk("reached_address_confirmed")],
        letters=[Letter(("returned", 2))],
    )
    outcome = await ladder.run(script)
    returned = script.calls_of("track_letter")[1]
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.MAIL)
    assert outcome.served_on == day(returned.at).isoformat()
    posted = [(a.contact.index, a.contact.confirmed) for a in script.arguments("send_letter")]
    assert posted == [(HOME.index, True)]


async def test_unreachable_party_moves_on_to_the_bailiff(ladder: Ladder) -> None:
    """A clerk who cannot reach the party fails the rung; the bailiff serves in person."""
    script = Script(
        plan(rung(Step.PHONE, PHONE), rung(Step.DIRECT, HOME)),
        answers=[clerk("unreachable"), clerk("served_in_person")],
    )
    outcome = await ladder.run(script)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.DIRECT)
    assert script.failures() == ["clerk: unreachable"]
    assert script.closed() == [("wo-phone-1", "unreachable"), ("wo-direct-2", "served_in_person")]


async def test_clerk_silence_reminds_escalates_and_expires(ladder: Ladder) -> None:
    """An unanswered call is reminded, escalated at its due time and expires after the grace."""
    script = Script(plan(rung(Step.PHONE, PHONE)))
    outcome = await ladder.run(script)
    assert outcome.status == TaskStatus.FAILED
    assert script.failures() == ["no outcome from the clerk before the deadline"]
    assert (
        len(script.calls_of("remind_work_order"))
        == len(script.calls_of("escalate_work_order"))
        == 1
    )
    assert script.closed() == [("wo-phone-1", "expired")]
    assert timedelta(days=4) <= script.legal_time() < timedelta(days=15)


@pytest.mark.parametrize("answer", ["served_in_person", "left_at_address"])
async def test_bailiff_serves_on_the_day_of_the_visit(ladder: Ladder, answer: str) -> None:
    """Served in person or left at the address: served on the day the bailiff reports it."""
    script = Script(plan(rung(Step.DIRECT, HOME)), answers=[clerk(answer)])
    outcome = await ladder.run(script)
    opened = script.calls_of("open_work_order")[0]
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.DIRECT)
    assert outcome.served_on == day(opened.at).isoformat()
    assert script.trail("finished")[0].detail["detail"] == answer


async def test_bailiff_typing_late_serves_on_the_day_of_the_act(ladder: Ladder) -> None:
    """A visit on day one, typed in on day two, serves on day one (the act, not the typing)."""
    script = Script(plan(rung(Step.DIRECT, HOME)))
    handle = await ladder.start(script)
    opened = await script.wait_for("open_work_order")
    await ladder.env.sleep(timedelta(days=2))
    visit = (opened.at + timedelta(days=1)).isoformat()
    outcome = WorkOrderOutcome("wo-direct-1", "served_in_person", actor="bailiff-test", at=visit)
    await handle.execute_update(UPDATE_WORK_ORDER_OUTCOME, outcome)
    served = await ladder.result(handle)
    assert (served.status, served.method) == (TaskStatus.SERVED, Step.DIRECT)
    assert served.served_on == (day(opened.at) + timedelta(days=1)).isoformat()


async def test_bailiff_not_finding_the_party_fails_the_rung(ladder: Ladder) -> None:
    """A bailiff who does not find the party fails the rung and closes the order so."""
    script = Script(plan(rung(Step.DIRECT, HOME)), answers=[clerk("not_found")])
    outcome = await ladder.run(script)
    assert outcome.status == TaskStatus.FAILED
    assert script.failures() == ["bailiff: not_found"]
    assert script.closed() == [("wo-direct-1", "not_found")]


async def test_bailiff_silence_expires_the_order(ladder: Ladder) -> None:
    """An unanswered visit expires after five workdays and a grace day."""
    script = Script(plan(rung(Step.DIRECT, HOME)))
    outcome = await ladder.run(script)
    assert outcome.status == TaskStatus.FAILED
    assert script.failures() == ["no outcome from the bailiff before the deadline"]
    assert script.closed() == [("wo-direct-1", "expired")]
    assert timedelta(days=6) <= script.legal_time() < timedelta(days=20)


async def test_number_given_to_the_clerk_is_reminded_then_called(ladder: Ladder) -> None:
    """A number the party gives without consent gets a reminder SMS and a call of its own."""
    script = Script(
        plan(rung(Step.PHONE, PHONE)), answers=[clerk("unreachable", new_phone_index=1)]
    )
    outcome = await ladder.run(script)
    assert outcome.status == TaskStatus.FAILED
    assert script.arguments("load_contacts")[0].phones == [1]
    reminder = script.arguments("send_sms")[0]
    assert (reminder.step, reminder.contact.index) == (Step.PHONE, 1)
    second = script.arguments("open_work_order")[1]
    assert second.summary == "a number the party gave the clerk: call it"
    assert script.closed() == [("wo-phone-1", "unreachable"), ("wo-phone-2", "expired")]


async def test_outcome_of_the_wrong_kind_is_refused(ladder: Ladder) -> None:
    """A bailiff's outcome for a phone work order is refused; a clerk's is taken."""
    script = Script(plan(rung(Step.PHONE, PHONE), simple_means=True))
    handle = await ladder.start(script)
    await open_order(ladder.env.client, handle.id, "wo-phone-1")
    wrong = WorkOrderOutcome("wo-phone-1", "served_in_person")
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(UPDATE_WORK_ORDER_OUTCOME, wrong)
    right = WorkOrderOutcome("wo-phone-1", "reached_consented")
    assert await handle.execute_update(UPDATE_WORK_ORDER_OUTCOME, right) == "accepted"
    assert (await ladder.result(handle)).status == TaskStatus.SERVED


async def test_call_to_a_repaired_number_falls_due_in_workdays(ladder: Ladder) -> None:
    """A clerk's call to a number the operators found is due after three workdays, like any call."""
    script = Script(plan(rung(Step.PHONE), repair=True), repaired={1: [REPAIRED]})
    now = await ladder.env.get_current_time()
    await ladder.env.sleep(timedelta(days=(4 - day(now).weekday()) % 7))  # to a Friday
    outcome = await ladder.run(script)
    opened = script.calls_of("open_work_order")[0]
    due = datetime.fromisoformat(opened.arg.due_at) - timedelta(microseconds=1)
    assert outcome.status == TaskStatus.FAILED
    assert day(due) == LegalCalendar().add_workdays(day(opened.at), 3).value

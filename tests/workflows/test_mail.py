"""The mail rung: tracked court post, signed, refused or returned; a return asks for repair."""

from __future__ import annotations

from datetime import timedelta

from domain.pure.ladder import Contact, Step, TaskStatus
from tests.workflows.harness import HOME, WORK, Ladder, consented, day, plan, rung
from tests.workflows.stubs import Letter, Script

REPAIRED = Contact("phone", 0, "137****0001", source="repaired")


async def test_signed_letter_serves_on_the_day_signed(ladder: Ladder) -> None:
    """A letter signed for on the fourth day serves on that day."""
    script = Script(plan(rung(Step.MAIL, HOME)), letters=[Letter(("signed", 4))])
    outcome = await ladder.run(script)
    posted = script.calls_of("send_letter")[0]
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.MAIL)
    assert outcome.served_on == (day(posted.at) + timedelta(days=4)).isoformat()
    assert len(script.calls_of("track_letter")) == 4


async def test_refusal_at_a_confirmed_address_serves_on_return(ladder: Ladder) -> None:
    """A refused letter is followed until it is back; at a confirmed address that day serves."""
    refused = Letter(("refused", 2), ("returned", 5))
    script = Script(plan(rung(Step.MAIL, consented(HOME))), letters=[refused])
    outcome = await ladder.run(script)
    back = script.calls_of("track_letter")[-1]
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.MAIL)
    assert outcome.served_on == day(back.at).isoformat()
    assert len(script.calls_of("track_letter")) == 5


async def test_refusal_at_an_unconfirmed_address_does_not_serve(ladder: Ladder) -> None:
    """A refusal at an address the party never confirmed serves nothing: the ladder goes on."""
    refused = Letter(("refused", 2), ("returned", 5))
    script = Script(plan(rung(Step.MAIL, HOME)), letters=[refused])
    outcome = await ladder.run(script)
    assert outcome.status == TaskStatus.FAILED
    assert script.failures()[0].startswith(f"no letter served: {HOME.label} returned")


async def test_return_from_a_confirmed_address_serves(ladder: Ladder) -> None:
    """A letter returned from an address the party confirmed serves on its return."""
    script = Script(plan(rung(Step.MAIL, consented(HOME))), letters=[Letter(("returned", 3))])
    outcome = await ladder.run(script)
    returned = script.calls_of("track_letter")[2]
    assert (outcome.status, outcome.served_on) == (TaskStatus.SERVED, day(returned.at).isoformat())


async def test_each_address_is_posted_to_in_turn(ladder: Ladder) -> None:
    """When the first letter comes back, the next address gets its own letter."""
    letters = [Letter(("returned", 1)), Letter(("signed", 2))]
    script = Script(plan(rung(Step.MAIL, HOME, WORK)), letters=letters)
    outcome = await ladder.run(script)
    assert outcome.status == TaskStatus.SERVED
    assert [a.contact for a in script.arguments("send_letter")] == [HOME, WORK]


async def test_unsigned_letter_fails_the_rung_after_ten_days(ladder: Ladder) -> None:
    """A letter nobody signs for is polled once a legal day, and the rung fails after ten."""
    script = Script(plan(rung(Step.MAIL, HOME)))
    outcome = await ladder.run(script)
    assert outcome.status == TaskStatus.FAILED
    assert script.failures() == [
        f"no letter served: {HOME.label} not signed for before the deadline"
    ]
    assert len(script.calls_of("track_letter")) == 10
    assert timedelta(days=10) <= script.legal_time() < timedelta(days=10, hours=1)


async def test_post_office_down_fails_the_rung(ladder: Ladder) -> None:
    """A post office that keeps failing posts nothing, and the rung fails."""
    script = Script(plan(rung(Step.MAIL, HOME)), failing={"send_letter"})
    outcome = await ladder.run(script)
    assert outcome.status == TaskStatus.FAILED
    assert script.failures() == ["no letter served: nothing posted"]


async def test_returned_letter_sends_the_ladder_back_to_repair(ladder: Ladder) -> None:
    """A returned letter asks the operators again; a new number is tried before the bailiff."""
    script = Script(
        plan(rung(Step.MAIL, HOME), rung(Step.DIRECT, HOME)),
        letters=[Letter(("returned", 3))],
        repaired={2: [REPAIRED]},
        receipts={"phone": "confirmed"},
    )
    outcome = await ladder.run(script)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.ELECTRONIC)
    assert script.steps() == [Step.MAIL, Step.ELECTRONIC]
    assert script.arguments("repair_numbers")[0].reference.endswith(":repair:2")
    assert script.arguments("send_sms")[0].contact == REPAIRED
    assert "returned (no such recipient)" in script.failures()[0]


async def test_returned_letter_without_new_numbers_goes_to_the_bailiff(ladder: Ladder) -> None:
    """When the operators know no new number, the bailiff is next."""
    script = Script(
        plan(rung(Step.MAIL, HOME), rung(Step.DIRECT, HOME)),
        letters=[Letter(("returned", 3))],
        answers=[None],
    )
    outcome = await ladder.run(script)
    assert outcome.status == TaskStatus.FAILED
    assert script.steps() == [Step.MAIL, Step.DIRECT]
    assert len(script.calls_of("repair_numbers")) == 1


async def test_organization_is_not_repaired_after_a_return(ladder: Ladder) -> None:
    """Operators' real-name records are a person's: an organization goes to the bailiff."""
    script = Script(
        plan(rung(Step.MAIL, HOME), rung(Step.DIRECT, HOME)),
        letters=[Letter(("returned", 3))],
        repaired={2: [REPAIRED]},
    )
    await ladder.run(script, kind="organization")
    assert script.calls_of("repair_numbers") == []
    assert script.steps() == [Step.MAIL, Step.DIRECT]


async def test_number_repaired_before_is_not_tried_again(ladder: Ladder) -> None:
    """A return asks the operators again, but a number the ladder already tried is not retried."""
    script = Script(
        plan(
            rung(Step.ELECTRONIC), rung(Step.PHONE), rung(Step.MAIL, HOME), rung(Step.DIRECT, HOME),
            repair=True,
        ),
        repaired={1: [REPAIRED], 2: [REPAIRED]},
        letters=[Letter(("returned", 1))],
    )  # fmt: skip
    await ladder.run(script)
    assert script.steps() == [Step.ELECTRONIC, Step.PHONE, Step.MAIL, Step.DIRECT]

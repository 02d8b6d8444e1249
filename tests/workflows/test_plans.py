"""Plans from the real rules (domain.pure.plan) run through the ladder: consent, kind, procedure."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from domain.pure.ladder import Contact, Step, TaskStatus
from domain.pure.plan import PartyFacts, make_plan
from tests.workflows.harness import CLOCK, Ladder, clerk
from tests.workflows.stubs import Letter, Script

FACTS = PartyFacts(
    kind="person",
    procedure="ordinary",
    document_kinds=("summons", "complaint_copy"),
    consent_electronic=False,
    address_confirmed=False,
    phones=("13800000000",),
    emails=(),
    addresses=("Test Road 1",),
    has_id_number=True,
)
REPAIRED = Contact("phone", 0, "137****0001", source="repaired")
NO_NOTICE = "public notice not allowed in simplified procedure (Interp. 140)"


def script_for(**changes: object) -> Script:
    """Returns a script whose plan is the rules' plan for the changed facts."""
    return Script(make_plan(replace(FACTS, **changes), CLOCK))  # type: ignore[arg-type]


async def test_consented_party_is_served_by_the_delivery_report(ladder: Ladder) -> None:
    """With consent on the request, the first SMS's delivery report serves (CPL 90)."""
    script = script_for(consent_electronic=True)
    script.receipts = {"phone": "delivered"}
    outcome = await ladder.run(script)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.ELECTRONIC)
    assert script.legal_time() < timedelta(hours=1)


async def test_without_consent_the_clerk_asks_for_it(ladder: Ladder) -> None:
    """Without consent delivery only reminds; consent given to the clerk makes the next serve."""
    script = script_for()
    script.receipts = {"phone": "delivered"}
    script.answers = [clerk("reached_consented")]
    outcome = await ladder.run(script)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.ELECTRONIC)
    assert script.steps() == [Step.ELECTRONIC, Step.PHONE, Step.ELECTRONIC]
    assert script.failures()[0] == "no receipt that serves before the deadline"


async def test_organization_is_posted_to_before_the_call(ladder: Ladder) -> None:
    """An organization's ladder posts before it calls: mail comes second."""
    script = script_for(kind="organization")
    script.letters = [Letter(("signed", 2))]
    outcome = await ladder.run(script, kind="organization")
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.MAIL)
    assert script.steps() == [Step.ELECTRONIC, Step.MAIL]


@pytest.mark.parametrize("procedure", ["simplified", "small_claims"])
async def test_simplified_procedure_ends_failed_not_in_notice(
    ladder: Ladder, procedure: str
) -> None:
    """No public notice in simplified procedure (Interp. 140): the ladder ends failed, saying so."""
    script = script_for(procedure=procedure, document_kinds=("judgment",))
    outcome = await ladder.run(script)
    assert outcome.status == TaskStatus.FAILED
    assert outcome.reason == f"public notice not allowed in {procedure} procedure (Interp. 140)"
    assert script.steps() == [Step.ELECTRONIC, Step.PHONE, Step.MAIL, Step.DIRECT]
    assert script.calls_of("publish_notice") == []


async def test_ordinary_procedure_ends_in_notice(ladder: Ladder) -> None:
    """The same party in ordinary procedure is served by notice once every rung ran out."""
    script = script_for(document_kinds=("judgment",))
    outcome = await ladder.run(script)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.PUBLIC_NOTICE)
    assert script.steps()[-1] == Step.PUBLIC_NOTICE


@pytest.mark.parametrize(
    ("documents", "method"),
    [(("summons",), Step.PHONE), (("judgment",), Step.ELECTRONIC)],
    ids=["summons", "judgment"],
)
async def test_simple_means_serve_by_phone_except_judgments(
    ladder: Ladder, documents: tuple[str, ...], method: Step
) -> None:
    """In simplified procedure the clerk's record serves a summons, not a judgment (Interp. 261)."""
    script = script_for(procedure="simplified", document_kinds=documents)
    script.receipts = {"phone": "delivered"}
    script.answers = [clerk("reached_consented")]
    outcome = await ladder.run(script)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, method)


async def test_repair_first_fills_the_electronic_rung(ladder: Ladder) -> None:
    """A person with no number but an ID number: the operators' number is messaged first."""
    script = script_for(phones=())
    script.repaired = {1: [REPAIRED]}
    script.receipts = {"phone": "confirmed"}
    outcome = await ladder.run(script)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.ELECTRONIC)
    assert script.arguments("repair_numbers")[0].reference.endswith(":repair:1")
    assert script.arguments("send_sms")[0].contact == REPAIRED


async def test_repair_finding_nothing_leaves_out_sms_and_call(ladder: Ladder) -> None:
    """When the operators know no number either, the ladder starts with the letter."""
    script = script_for(phones=())
    script.letters = [Letter(("signed", 1))]
    outcome = await ladder.run(script)
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.MAIL)
    assert script.steps() == [Step.MAIL]

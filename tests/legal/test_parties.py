"""Issue 12, item 7: lawyers and organizations, direct service before notice; who may sign."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.pure.ladder import Clock, Step
from domain.pure.plan import make_plan
from domain.pure.work_order_rules import direct_violations
from tests.unit.test_plan import BASE

LAWYER = replace(BASE, kind="lawyer", consent_electronic=False, address_confirmed=False)


def test_a_lawyer_gets_a_bailiff_before_public_notice() -> None:
    """Electronic contacts known or not, no lawyer reaches notice without a direct attempt."""
    steps = [r.step for r in make_plan(LAWYER, Clock()).rungs]
    assert steps[-2:] == [Step.DIRECT, Step.PUBLIC_NOTICE]


def test_without_an_address_the_plan_says_why_there_is_no_visit() -> None:
    """No registered address known: the documented reason stands in the plan."""
    plan = make_plan(replace(LAWYER, addresses=()), Clock())
    assert Step.DIRECT not in [r.step for r in plan.rungs]
    assert any("no postal address known" in note for note in plan.skipped)


def violations(relation: str, kind: str, documents: tuple[str, ...] = ("summons",)) -> set[str]:
    """Returns the messages a served-in-person record with this relation breaks."""
    record = {"recipient": "王五", "relation": relation}
    found = direct_violations(
        "served_in_person", record, opposing_names=[], document_kinds=documents,
        media_evidence=0, party_kind=kind,
    )  # fmt: skip
    return {v.message for v in found}


@pytest.mark.parametrize("relation", ["representative", "mail_room", "designated"])
def test_an_organization_signs_by_its_representative_designee_or_mail_room(relation: str) -> None:
    """CPL 88: an organization's legal representative, designated recipient or mail room."""
    assert violations(relation, "organization") == set()


@pytest.mark.parametrize("relation", ["self", "family_member"])
def test_an_organization_has_no_self_nor_family(relation: str) -> None:
    """Nobody signs for an organization as itself or as its family."""
    assert violations(relation, "organization")


def test_a_family_member_never_signs_a_mediation_statement() -> None:
    """Interp. 133: the party itself (or its agent) signs a mediation statement."""
    assert violations("family_member", "person", ("mediation",))
    assert violations("family_member", "person") == set()

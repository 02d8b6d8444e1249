"""Unit tests for the plan: which rungs a party gets, in which order, and why."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.pure import rules
from domain.pure.ladder import Clock, Plan, Rung, Step
from domain.pure.plan import PartyFacts, make_plan

PHONE = "13812345678"
EMAIL = "zhangsan@example.com"
ADDRESS = "天津市河西区友谊路35号2单元301室"
ALL = [Step.ELECTRONIC, Step.PHONE, Step.MAIL, Step.DIRECT, Step.PUBLIC_NOTICE]

BASE = PartyFacts(
    kind="person",
    procedure="ordinary",
    document_kinds=("summons", "complaint_copy"),
    consent_electronic=True,
    address_confirmed=True,
    phones=(PHONE,),
    emails=(EMAIL,),
    addresses=(ADDRESS,),
    has_id_number=True,
)


def plan_for(**changes: object) -> Plan:
    return make_plan(replace(BASE, **changes), Clock())


def steps(plan: Plan) -> list[str]:
    return [r.step for r in plan.rungs]


def rung(plan: Plan, step: Step) -> Rung:
    return next(r for r in plan.rungs if r.step == step)


@pytest.mark.parametrize(
    ("changes", "expected", "repair"),
    [
        ({}, ALL, False),
        ({"consent_electronic": False}, ALL, False),
        ({"phones": ()}, ALL, True),
        ({"phones": (), "emails": ()}, ALL, True),
        ({"phones": (), "emails": (), "has_id_number": False}, ALL[2:], False),
        ({"kind": "organization", "phones": (), "emails": ()}, ALL[2:], False),
        ({"kind": "organization", "phones": ()}, [Step.ELECTRONIC, *ALL[2:]], False),
        ({"addresses": ()}, [Step.ELECTRONIC, Step.PHONE, Step.PUBLIC_NOTICE], False),
        ({"procedure": "simplified"}, ALL[:4], False),
        ({"procedure": "small_claims"}, ALL[:4], False),
        ({"document_kinds": ("mediation",)}, ALL[:4], False),
        ({"foreign": True}, ALL, False),
    ],
)
def test_steps_by_situation(changes: dict[str, object], expected: list[Step], repair: bool) -> None:
    plan = plan_for(**changes)
    assert steps(plan) == expected
    assert plan.repair is repair


def test_consented_person_gets_the_full_ladder() -> None:
    plan = plan_for()
    assert steps(plan) == ALL
    assert plan.skipped == []
    assert plan.public_notice_days == 30
    electronic = rung(plan, Step.ELECTRONIC)
    assert "consent" in electronic.reason
    assert "delivery report serves" in electronic.reason
    assert [(c.kind, c.confirmed) for c in electronic.contacts] == [
        ("phone", True),
        ("email", True),
    ]
    assert [c.kind for c in rung(plan, Step.PHONE).contacts] == ["phone"]
    assert [c.kind for c in rung(plan, Step.MAIL).contacts] == ["address"]
    assert rung(plan, Step.MAIL).contacts[0].confirmed is True
    assert "confirmed address" in rung(plan, Step.MAIL).reason
    assert rung(plan, Step.DIRECT).contacts == rung(plan, Step.MAIL).contacts
    notice = rung(plan, Step.PUBLIC_NOTICE)
    assert notice.wait_days == 30.0
    assert "30 days" in notice.reason
    assert notice.contacts == []


def test_waits_come_from_the_rule_table() -> None:
    plan = plan_for()
    for r in plan.rungs[:4]:
        assert r.wait_days == rules.WAIT_DAYS[r.step]


def test_without_consent_the_sms_is_a_reminder() -> None:
    plan = plan_for(consent_electronic=False)
    electronic = rung(plan, Step.ELECTRONIC)
    assert "reminder" in electronic.reason
    assert "portal" in electronic.reason
    assert "confirmation" in electronic.reason
    assert "delivery report serves" not in electronic.reason
    assert all(not c.confirmed for c in electronic.contacts)


def test_unconfirmed_address_is_not_served_by_return() -> None:
    plan = plan_for(address_confirmed=False)
    mail = rung(plan, Step.MAIL)
    assert "return" not in mail.reason
    assert mail.contacts[0].confirmed is False


def test_person_without_phone_but_id_number_asks_for_repair() -> None:
    plan = plan_for(phones=(), emails=())
    assert plan.repair is True
    assert rung(plan, Step.ELECTRONIC).contacts == []
    assert rung(plan, Step.PHONE).contacts == []
    assert not any("electronic" in s or "phone" in s for s in plan.skipped)


def test_repaired_phones_follow_submitted_ones_unconfirmed() -> None:
    plan = plan_for(repaired_phones=("13987654321",))
    contacts = rung(plan, Step.PHONE).contacts
    assert [(c.index, c.source, c.confirmed) for c in contacts] == [
        (0, "submitted", True),
        (0, "repaired", False),
    ]


def test_organization_without_phone_skips_electronic_and_phone() -> None:
    plan = plan_for(kind="organization", phones=(), emails=())
    assert plan.repair is False
    assert any(s.startswith("electronic skipped") and "no mobile" in s for s in plan.skipped)
    assert any(s.startswith("phone skipped") and "no mobile" in s for s in plan.skipped)


def test_no_address_skips_mail_and_direct() -> None:
    plan = plan_for(addresses=())
    assert Step.MAIL not in steps(plan)
    assert Step.DIRECT not in steps(plan)
    assert any("mail and direct skipped" in s and "no postal address" in s for s in plan.skipped)


@pytest.mark.parametrize("procedure", ["simplified", "small_claims"])
def test_simplified_procedures_never_use_public_notice(procedure: str) -> None:
    plan = plan_for(procedure=procedure)
    assert Step.PUBLIC_NOTICE not in steps(plan)
    assert any("Interp. 140" in s and procedure in s for s in plan.skipped)
    assert plan.simple_means is True
    assert "simple means" in rung(plan, Step.PHONE).reason


@pytest.mark.parametrize("procedure", ["simplified", "small_claims"])
@pytest.mark.parametrize("kind", ["judgment", "ruling", "mediation"])
def test_no_simple_means_for_judgments_rulings_mediation(procedure: str, kind: str) -> None:
    plan = plan_for(procedure=procedure, document_kinds=("summons", kind))
    assert plan.simple_means is False
    assert "simple means" not in rung(plan, Step.PHONE).reason
    assert Step.PUBLIC_NOTICE not in steps(plan)


def test_ordinary_procedure_has_no_simple_means() -> None:
    plan = plan_for()
    assert plan.simple_means is False
    assert "simple means" not in rung(plan, Step.PHONE).reason


def test_mediation_statement_is_never_served_by_public_notice() -> None:
    plan = plan_for(document_kinds=("mediation",))
    assert Step.PUBLIC_NOTICE not in steps(plan)
    assert any("mediation" in s and "public notice" in s for s in plan.skipped)


def test_foreign_party_waits_sixty_days() -> None:
    plan = plan_for(foreign=True)
    assert plan.public_notice_days == 60
    notice = rung(plan, Step.PUBLIC_NOTICE)
    assert notice.wait_days == 60.0
    assert "60 days" in notice.reason


def test_contact_labels_are_masked() -> None:
    plan = plan_for(
        phones=(PHONE, "15900001111"),
        emails=(EMAIL,),
        addresses=(ADDRESS,),
        repaired_phones=("13987654321",),
    )
    text = repr(plan)
    for value in (PHONE, "15900001111", "13987654321", EMAIL, "zhangsan", ADDRESS, "友谊路35号"):
        assert value not in text
    labels = [c.label for r in plan.rungs for c in r.contacts]
    assert "138****5678" in labels
    assert "139****4321" in labels
    assert "z***@example.com" in labels
    assert "天津市河西区…" in labels


def test_rule_version_clock_and_procedure_recorded() -> None:
    clock = Clock(mode="accelerated", seconds_per_day=60.0, origin="2026-11-01T00:00:00+00:00")
    plan = make_plan(replace(BASE, procedure="simplified"), clock)
    assert plan.rule_version == rules.RULE_VERSION
    assert plan.rule_version
    assert plan.clock == clock
    assert plan.procedure == "simplified"


def test_plan_is_deterministic() -> None:
    assert plan_for() == plan_for()

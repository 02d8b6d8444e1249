"""Issue 12, item 6: a consent or an address confirmation covers what it names, and no more.

Per phone and e-mail `consented`, per address `confirmed`, with the evidence's kind and scope;
the party's booleans cover the contacts of its own request, never a number added later.
"""

from __future__ import annotations

from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from temporalio.testing import ActivityEnvironment

from activities.archive_basis import service_basis
from activities.trail import TrailActivities
from api.requests.bodies import EvidenceKind
from api.tasks.bodies import ContactsIn
from api.tasks.contacts import store_contacts
from domain.pure.activity_io import ContactsInput, PlanInput
from domain.pure.consent import DEFAULT_EVIDENCE, EVIDENCE_KINDS
from domain.pure.ladder import Clock, Plan, Step
from domain.settings import Settings
from domain.store.db import make_session_factory
from domain.tables.core import Party, ServiceTask, TimelineEvent, User
from tests.api.conftest import auth, make_token, valid_body

SECOND = "13900000003"


@pytest.fixture
def case_system(db: Session) -> dict[str, str]:
    """Headers of a case-handling system of court J12."""
    return auth(make_token(db, "case-system", "case_system"))


def submit(client: TestClient, headers: dict[str, str], **party: Any) -> Any:
    """Submits the valid request with changes to its first party."""
    body = valid_body()
    body["parties"][0].update(party)
    return client.post("/v1/service-requests", json=body, headers=headers)


def first_party(db: Session) -> tuple[Party, ServiceTask]:
    """Returns the stored first party and its task."""
    party = db.scalars(select(Party).where(Party.ref == "P1")).one()
    task = db.scalars(select(ServiceTask).where(ServiceTask.party_id == party.id)).one()
    return party, task


def plan_of(engine: Engine, settings: Settings, task_id: str) -> Plan:
    """Plans the task as the worker does, on the request's data and the address book."""
    trail = TrailActivities(make_session_factory(engine), settings.key_ring)
    arg = PlanInput(task_id, f"svc-{task_id}", Clock(), "2026-11-28T02:00:00+00:00", "2026-11-28")
    plan: Plan = ActivityEnvironment().run(trail.plan_service, arg)
    return plan


def flags(plan: Plan, step: Step) -> list[tuple[int, str, bool]]:
    """Returns the (index, label, covered) of the rung's contacts, by index."""
    rung = next(r for r in plan.rungs if r.step == step)
    return sorted((c.index, c.label, c.confirmed) for c in rung.contacts)


def test_each_contact_keeps_its_own_consent_and_confirmation(
    client: TestClient, db: Session, engine: Engine, settings: Settings,
    case_system: dict[str, str],
) -> None:  # fmt: skip
    """A second number without `consented` is a reminder only; the evidence goes in the plan."""
    response = submit(
        client, case_system, consent_electronic=False,
        phones=["13800000002", {"number": SECOND, "consented": True}],
        addresses=[{"text": "天津市河西区友谊路1号"},
                   {"text": "天津市河西区围堤道2号", "confirmed": True}],
        consent_evidence={"kind": "efiling_account", "scope": "court"},
        confirmation_evidence={"kind": "address_confirmation_form"},
    )  # fmt: skip
    assert response.status_code == 201, response.text
    party, task = first_party(db)
    assert party.phones == ["13800000002", SECOND]
    assert party.addresses[1] == {"text": "天津市河西区围堤道2号", "postcode": ""}
    assert party.coverage == {
        "phone": {"1": {"evidence": "efiling_account", "scope": "court"}},
        "email": {},
        "address": {"1": {"evidence": "address_confirmation_form", "scope": "case"}},
    }
    plan = plan_of(engine, settings, task.id)
    assert flags(plan, Step.ELECTRONIC) == [(0, "138****0002", False), (1, "139****0003", True)]
    assert flags(plan, Step.MAIL) == [(0, "天津市河西区…", False), (1, "天津市河西区…", True)]
    db.expire_all()
    detail = db.scalars(select(TimelineEvent.detail).where(TimelineEvent.kind == "plan")).one()
    assert [(c["covers"], c["evidence"], c["scope"], c["words"]) for c in detail["covered"]] == [
        ("consent", "efiling_account", "court", "电子诉讼平台账户（本院全部案件）"),
        ("confirmation", "address_confirmation_form", "case", "送达地址确认书（本案）"),
    ]


def test_the_partys_consent_does_not_cover_a_number_added_later(
    client: TestClient, db: Session, engine: Engine, settings: Settings,
    case_system: dict[str, str],
) -> None:  # fmt: skip
    """`consent_electronic: true` covers the request's numbers; a repaired one needs its own."""
    assert submit(client, case_system).status_code == 201  # consent_electronic: true
    _, task = first_party(db)
    user = db.scalars(select(User).where(User.name == "case-system")).one()
    later = ContactsIn.model_validate(
        {"phones": [SECOND, {"number": "13700000007", "consented": True}],
         "consent_evidence": {"kind": "recorded_call"}}
    )  # fmt: skip
    store_contacts(session=db, user=user, task_id=task.id, body=later)
    trail = TrailActivities(make_session_factory(engine), settings.key_ring)
    loaded = ActivityEnvironment().run(
        trail.load_contacts, ContactsInput(task.id, phones=[0, 1, 2])
    )
    assert [(c.label, c.confirmed) for c in loaded] == [
        ("138****0002", True),  # submitted with the party's consent
        ("139****0003", False),  # added later: not inherited
        ("137****0007", True),  # added later with its own consent
    ]


def test_unknown_fields_of_the_new_objects_are_refused_by_name(
    client: TestClient, db: Session, case_system: dict[str, str]
) -> None:
    """Unknown fields inside the new objects are refused by name; plain values keep their paths."""
    refused = submit(
        client, case_system,
        phones=[{"number": SECOND, "consentd": True}, "12345"],
        addresses=[{"text": "天津市河西区友谊路1号", "confirmd": True}],
        consent_evidence={"kind": "fax", "scope": "case"},
        confirmation_evidence={"kind": "recorded_call", "scope": "everywhere"},
    )  # fmt: skip
    assert refused.status_code == 422
    fields = {item["field"] for item in refused.json()["detail"]}
    assert fields == {
        "parties[0].phones[0].consentd",
        "parties[0].phones[1]",
        "parties[0].addresses[0].confirmd",
        "parties[0].consent_evidence.kind",
        "parties[0].confirmation_evidence.scope",
    }
    assert db.scalars(select(Party)).first() is None


def test_the_proof_names_the_evidence_the_method_rests_on() -> None:
    """A refusal served at a confirmed address names the confirmation, its kind and scope."""
    plan = {
        "kind": "plan",
        "detail": {"covered": [{"contact": "天津市河西区…", "covers": "confirmation",
                                "words": "送达地址确认书（本院全部案件）"}]},
    }  # fmt: skip
    finished = {"kind": "finished", "detail": {"rule": "CPL 91, refusal, served on return"}}
    basis = service_basis(ServiceTask(), "天津市河西区…", [plan, finished])
    assert basis == "送达地址经受送达人确认，依据：送达地址确认书（本院全部案件）"
    signed = {
        "kind": "finished",
        "detail": {"rule": "CPL 91, signed for, served on the signing date"},
    }
    assert service_basis(ServiceTask(), "天津市河西区…", [plan, signed]) == ""


def test_the_bodys_evidence_kinds_are_the_domains() -> None:
    """Every evidence code a body accepts has its words for the proof, and no other exists."""
    assert set(get_args(EvidenceKind)) == set(EVIDENCE_KINDS)
    assert DEFAULT_EVIDENCE in EVIDENCE_KINDS

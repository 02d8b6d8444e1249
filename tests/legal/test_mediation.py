"""Issue 12, item 3: a mediation statement takes effect only when every party has signed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from domain.pure.mediation import mediation_effect
from domain.pure.served_on import SERVICE_RULES
from domain.tables.core import Document, Party, ServiceTask, TimelineEvent
from tests.api.conftest import auth, make_token
from tests.api.test_work_orders import seed_task

SIGNED = SERVICE_RULES["direct_signed"].words
REFUSED = SERVICE_RULES["mail_refused"].words


def add_party(db: Session, task: ServiceTask, ref: str, rule: str, kind: str) -> None:
    """Adds a served party to the task's request, its finished event naming the rule."""
    party = Party(request_id=task.request_id, position=int(ref[1:]), ref=ref, name="李四",
                  kind="person", role="plaintiff")  # fmt: skip
    db.add(party)
    db.flush()
    served = ServiceTask(request_id=task.request_id, party_id=party.id, position=party.position,
                         party_ref=ref, workflow_id=f"svc-{ref}", status="served", method=kind,
                         served_on=date(2026, 12, 1))  # fmt: skip
    db.add(served)
    db.flush()
    db.add(TimelineEvent(task_id=served.id, event_key=f"{ref}:9", seq=9, at=datetime.now(UTC),
                         legal_date=date(2026, 12, 1), step=kind, kind="finished",
                         detail={"status": "served", "rule": rule}))  # fmt: skip
    db.commit()


@pytest.mark.parametrize(("rule", "effective"), [(SIGNED, True), (REFUSED, False)])
def test_the_request_says_who_signed_and_whether_it_took_effect(
    client: TestClient, db: Session, rule: str, effective: bool
) -> None:
    """P1 signed in person; P2 signed too (effective) or refused the letter (not effective)."""
    task = seed_task(db, status="served")
    db.add(Document(request_id=task.request_id, position=0, kind="mediation", title="调解书",
                    media_type="application/pdf", sha256="0" * 64, bytes=1))  # fmt: skip
    db.commit()
    task.status, task.method = "served", "direct"
    db.add(TimelineEvent(task_id=task.id, event_key="P1:9", seq=9, at=datetime.now(UTC),
                         legal_date=date(2026, 12, 1), step="direct", kind="finished",
                         detail={"status": "served", "rule": SIGNED}))  # fmt: skip
    db.commit()
    add_party(db, task, "P2", rule, "mail" if rule == REFUSED else "direct")
    judge = auth(make_token(db, "judge-m", "judge"))
    body = client.get(f"/v1/service-requests/{task.request_id}", headers=judge).json()
    signed = ["P1", "P2"] if effective else ["P1"]
    assert body["mediation"] == {
        "signed": signed, "unsigned": [] if effective else ["P2"], "effective": effective,
        "rule": "Interp. 133; CPL 100",
    }  # fmt: skip


def test_no_mediation_statement_no_mediation_outcome(client: TestClient, db: Session) -> None:
    """A request without a mediation statement shows none."""
    task = seed_task(db)
    judge = auth(make_token(db, "judge-n", "judge"))
    body = client.get(f"/v1/service-requests/{task.request_id}", headers=judge).json()
    assert body["mediation"] is None


def test_left_at_the_address_is_no_signature() -> None:
    """Leaving, refusal, return and notice never count as a party's signature."""
    effect = mediation_effect([("P1", "direct_left"), ("P2", "electronic_reached")])
    assert (effect.signed, effect.unsigned, effect.effective) == (["P2"], ["P1"], False)

"""The audit endpoints: only the auditor and the audit administrator read; every read recorded."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.access.auth import ROLES
from api.tasks.bodies import ContactsIn
from api.tasks.contacts import store_contacts
from domain.tables.core import ServiceTask, User
from domain.tables.trust import AuditEntry
from tests.api.conftest import auth, make_token, valid_body

READERS = {"auditor", "auditadmin"}
ENDPOINTS = ["/v1/audit", "/v1/audit/verify"]


def entries(db: Session, action: str | None = None) -> list[AuditEntry]:
    """Returns the audit entries in chain order, optionally of one action."""
    db.expire_all()
    query = select(AuditEntry).order_by(AuditEntry.seq)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.scalars(query))


@pytest.mark.parametrize("role", sorted(ROLES - READERS))
@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_other_role_is_refused_and_the_refusal_recorded(
    client: TestClient, db: Session, role: str, path: str
) -> None:
    token = make_token(db, f"user-{role}", role, court=None)
    answer = client.get(path, headers=auth(token))
    assert answer.status_code == 403
    refused = entries(db, "audit.read")
    assert [(e.actor, e.role, e.outcome, e.target) for e in refused] == [
        (f"user-{role}", role, "denied", path)
    ]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_no_token_is_401(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 401


@pytest.mark.parametrize("role", sorted(READERS))
def test_readers_verify_and_the_verification_is_recorded(
    client: TestClient, db: Session, role: str
) -> None:
    headers = auth(make_token(db, "reader", role, court=None))
    answer = client.get("/v1/audit/verify", headers={**headers, "X-Request-ID": "req-42"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["ok"] is True and body["first_broken"] is None and body["entries"] >= 1
    recorded = entries(db, "audit.verify")[-1]
    assert (recorded.actor, recorded.role, recorded.request_id) == ("reader", role, "req-42")
    assert recorded.source_address == "testclient"


def test_verify_reports_the_first_broken_seq(client: TestClient, db: Session) -> None:
    headers = auth(make_token(db, "auditor-1", "auditor", court=None))
    client.post("/v1/service-requests", json=valid_body(), headers=auth(
        make_token(db, "case-system", "case_system")))  # fmt: skip
    submitted = entries(db, "request.submit")[0]
    db.execute(update(AuditEntry).where(AuditEntry.seq == submitted.seq).values(target="x"))
    db.commit()
    body = client.get("/v1/audit/verify", headers=headers).json()
    assert (body["ok"], body["first_broken"]) == (False, submitted.seq)
    assert "altered" in body["reason"]
    assert entries(db, "audit.verify")[-1].outcome == "broken"


def test_search_filters_newest_first_and_pages(client: TestClient, db: Session) -> None:
    headers = auth(make_token(db, "auditadmin-1", "auditadmin", court=None))
    for number in range(3):
        client.get("/v1/audit/verify", headers=headers)
        del number
    page = client.get("/v1/audit?action=audit.verify&limit=2", headers=headers).json()
    seqs = [item["seq"] for item in page["items"]]
    assert len(seqs) == 2 and seqs == sorted(seqs, reverse=True)
    assert page["next_before"] == seqs[-1]
    assert page["items"][0]["at"].endswith("+08:00")
    rest = client.get(f"/v1/audit?action=audit.verify&before={seqs[-1]}", headers=headers).json()
    assert len(rest["items"]) == 1 and rest["next_before"] is None
    assert client.get("/v1/audit?actor=nobody", headers=headers).json()["items"] == []
    prefixed = client.get("/v1/audit?action=audit.*&limit=500", headers=headers).json()
    assert {item["action"] for item in prefixed["items"]} == {"audit.verify", "audit.search"}
    assert entries(db, "audit.search")[-1].detail["filters"]["action"] == "audit.*"


def test_search_by_time_window(client: TestClient, db: Session) -> None:
    headers = auth(make_token(db, "auditor-2", "auditor", court=None))
    client.get("/v1/audit/verify", headers=headers)
    past = client.get("/v1/audit?to=2000-01-01T00:00:00", headers=headers).json()
    assert past["items"] == []
    recent = client.get("/v1/audit?from=2000-01-01T00:00:00%2B08:00", headers=headers).json()
    assert "audit.verify" in [item["action"] for item in recent["items"]]


def test_a_court_auditor_reads_only_its_court(client: TestClient, db: Session) -> None:
    client.post("/v1/service-requests", json=valid_body(), headers=auth(
        make_token(db, "case-system", "case_system")))  # fmt: skip
    other = auth(make_token(db, "auditor-k", "auditor", court="K99"))
    assert client.get("/v1/audit?action=request.submit", headers=other).json()["items"] == []
    own = auth(make_token(db, "auditor-j", "auditor", court="J12"))
    found = client.get("/v1/audit?action=request.submit", headers=own).json()["items"]
    assert [item["court_code"] for item in found] == ["J12"]


def test_submit_and_contacts_are_recorded_without_personal_data(
    client: TestClient, db: Session
) -> None:
    token = make_token(db, "case-system", "case_system")
    answer = client.post("/v1/service-requests", json=valid_body(), headers=auth(token))
    assert answer.status_code == 201, answer.text
    request_id = answer.json()["id"]
    (submitted,) = entries(db, "request.submit")
    assert (submitted.actor, submitted.target, submitted.court_code) == (
        "case-system",
        request_id,
        "J12",
    )
    task = db.scalars(select(ServiceTask).where(ServiceTask.request_id == request_id)).first()
    assert task is not None
    user = db.scalars(select(User).where(User.name == "case-system")).one()
    store_contacts(
        session=db, user=user, task_id=task.id,
        body=ContactsIn(phones=["13900000009"], emails=[], addresses=[]),
    )  # fmt: skip
    (added,) = entries(db, "task.contacts_add")
    assert added.target == task.id and added.detail["phones"] == 1
    text = repr([(e.target, e.detail) for e in entries(db)])
    assert "13900000009" not in text and "13800000002" not in text and "张三" not in text


def test_a_refused_provider_signature_is_recorded(client: TestClient, db: Session) -> None:
    answer = client.post("/v1/providers/sandbox-sms/events", content=b"{}")
    assert answer.status_code == 401
    (refused,) = entries(db, "provider.event")
    assert (refused.actor, refused.outcome) == ("provider:sandbox-sms", "refused")

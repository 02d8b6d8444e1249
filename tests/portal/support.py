"""Helpers of the portal tests: a stored request with one party, published to the portal."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.settings import Settings
from domain.store.documents import DocumentStore
from domain.store.portal import publish
from domain.tables.core import (
    Attempt,
    Court,
    Document,
    Party,
    PortalPublication,
    PortalReceipt,
    ServiceRequest,
    ServiceTask,
    User,
)
from domain.tables.limits import RateCounter

PDF = b"%PDF-1.4\n% songda test summons\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
NAME = "张三"
ID_NUMBER = "11010119950612101X"
PHONE = "13800000002"
_serial = itertools.count(1)


@dataclass(frozen=True)
class Published:
    """A published attempt: its task, reference, link token and publication id."""

    task_id: str
    workflow_id: str
    reference: str
    token: str
    publication_id: str
    document_sha256: str


def _court_and_client(session: Session) -> str:
    if session.get(Court, "J12") is None:
        session.add(Court(code="J12", name="天津市河西区人民法院"))
    user = session.scalar(select(User).where(User.name == "case-system"))
    if user is None:
        user = User(name="case-system", role="case_system", court_code="J12")
        session.add(user)
    session.flush()
    return user.id


def seed_task(
    session: Session,
    store: DocumentStore,
    *,
    name: str = NAME,
    kind: str = "person",
    id_number: str | None = ID_NUMBER,
) -> tuple[str, str, str]:
    """Stores a request with one party, one document and its task; returns ids and the hash."""
    n = next(_serial)
    client_id = _court_and_client(session)
    request = ServiceRequest(
        client_id=client_id,
        external_id=f"T-{n}",
        court_code="J12",
        case_number="（2026）津0103民初1234号",
        cause="民间借贷纠纷",
        procedure="ordinary",
    )
    session.add(request)
    session.flush()
    sha256 = store.put(PDF)
    session.add(
        Document(
            request_id=request.id,
            position=0,
            kind="summons",
            title="传票",
            media_type="application/pdf",
            sha256=sha256,
            bytes=len(PDF),
        )
    )
    party = Party(
        request_id=request.id,
        position=0,
        ref="P1",
        name=name,
        kind=kind,
        role="defendant",
        id_number=id_number,
        phones=[PHONE],
    )
    session.add(party)
    session.flush()
    task = ServiceTask(
        request_id=request.id,
        party_id=party.id,
        position=0,
        party_ref="P1",
        workflow_id=f"svc-{request.id}-P1",
    )
    session.add(task)
    session.commit()
    return task.id, task.workflow_id, sha256


def publish_attempt(
    session: Session,
    settings: Settings,
    store: DocumentStore,
    *,
    channel: str = "sms",
    target: str = PHONE,
    name: str = NAME,
    kind: str = "person",
    id_number: str | None = ID_NUMBER,
) -> Published:
    """Seeds a task, records its SMS attempt and publishes it, as the worker's send does."""
    task_id, workflow_id, sha256 = seed_task(
        session, store, name=name, kind=kind, id_number=id_number
    )
    reference = f"{task_id}:electronic:1:phone0submitted"
    session.add(
        Attempt(
            task_id=task_id,
            step="electronic",
            channel=channel,
            target_label="138****0002",
            idempotency_key=reference,
            provider="sandbox-sms",
        )
    )
    session.commit()
    link = publish(
        session, settings, task_id=task_id, reference=reference, channel=channel, target=target
    )
    token = link.rsplit("/", 1)[1]
    publication = session.scalars(
        select(PortalPublication).where(PortalPublication.reference == reference)
    ).one()
    return Published(task_id, workflow_id, reference, token, publication.id, sha256)


def receipts(session: Session, publication_id: str) -> list[PortalReceipt]:
    """Returns a publication's receipts, oldest first, read afresh."""
    session.expire_all()
    query = select(PortalReceipt).where(PortalReceipt.publication_id == publication_id)
    return list(session.scalars(query.order_by(PortalReceipt.at, PortalReceipt.id)))


def kinds(session: Session, publication_id: str) -> list[str]:
    """Returns the kinds of a publication's receipts, oldest first."""
    return [r.kind for r in receipts(session, publication_id)]


def pass_time(db: Session, delta: timedelta, counters: timedelta | None = None) -> None:
    """Moves every receipt back by delta and the shared counters by counters (else delta)."""
    shift = delta if counters is None else counters
    db.expire_all()
    for counter in db.scalars(select(RateCounter)):
        counter.window_start -= shift
        if counter.locked_until is not None:
            counter.locked_until -= shift
    if delta:
        for receipt in db.scalars(select(PortalReceipt)):
            receipt.at -= delta
    db.commit()

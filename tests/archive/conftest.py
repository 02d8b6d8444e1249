"""Fixtures of the archive tests: a SQLite record of one finished request, and a store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from api.work_orders.bodies import OutcomeIn
from api.work_orders.outcomes import sealed_record
from domain.crypto.sealed_types import install_ring, installed_ring
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.store.documents import DocumentStore
from domain.tables.core import (
    Attempt,
    Base,
    Court,
    Document,
    Party,
    ServiceRequest,
    ServiceTask,
    TimelineEvent,
    User,
    WorkOrder,
)
from domain.tables.people import Evidence

PHOTO = b"\x89PNG\r\n\x1a\n a photo of the documents left at the door"
AT = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
CASE_NUMBER = "（2026）津0103民初1234号"


@dataclass
class Seeded:
    """What the archive tests read: the request's id, the settings, sessions and the store."""

    request_id: str
    settings: Settings
    sessions: sessionmaker[Session]
    store: DocumentStore


def _event(
    task: ServiceTask, seq: int, kind: str, step: str | None, detail: dict[str, object]
) -> TimelineEvent:
    return TimelineEvent(
        task_id=task.id, event_key=f"{task.workflow_id}:{seq}", seq=seq, at=AT,
        legal_date=date(2026, 11, 2), step=step, kind=kind, detail=detail,
    )  # fmt: skip


def _service_record() -> dict[str, object]:
    """Returns the order's details as the outcome route stores them (never a shape of our own)."""
    body = OutcomeIn.model_validate({"outcome": "left_at_address", "service": {
        "place": "天津市河西区友谊路1号", "at": AT.isoformat(), "recipient": "张P2",
        "relation": "self", "witness": "李四", "refusal_recorded": True}})  # fmt: skip
    return {"service": sealed_record(body, installed_ring())}


def _seed(session: Session, store: DocumentStore) -> str:
    session.add(Court(code="J12", name="天津市河西区人民法院"))
    session.add(User(id="u-case", name="hx-case-system", role="case_system", court_code="J12"))
    session.flush()
    request = ServiceRequest(
        id="r1", client_id="u-case", external_id="HX-1", court_code="J12",
        case_number=CASE_NUMBER, cause="民间借贷纠纷", procedure="ordinary",
        handler="judge-zhang", callback_url=None, status="completed", completed_at=AT,
    )  # fmt: skip
    digest = store.put(b"%PDF-1.4 summons")
    session.add(request)
    session.flush()
    session.add(Document(request_id="r1", position=0, kind="summons", title="传票",
                         media_type="application/pdf", sha256=digest, bytes=16))  # fmt: skip
    for position, (ref, method) in enumerate((("P1", "electronic"), ("P2", "direct"))):
        party = Party(
            id=f"p{position}", request_id="r1", position=position, ref=ref, name=f"张{ref}",
            kind="person", role="defendant", id_number="11010119950612101X",
            phones=["13800000002"], addresses=[{"text": "天津市河西区友谊路1号"}],
        )  # fmt: skip
        task = ServiceTask(
            id=f"t{position}", request_id="r1", party_id=party.id, position=position,
            party_ref=ref, workflow_id=f"svc-r1-{ref}", status="served", method=method,
            served_on=date(2026, 11, 2), attempts=2,
        )  # fmt: skip
        session.add_all([party, task])
        session.flush()
        plan = {"steps": [{"step": method, "reason": "consented to electronic service"}]}
        session.add_all([
            _event(task, 0, "plan", None, plan),
            _event(task, 1, "finished", method, {"status": "served"}),
            Attempt(task_id=task.id, step=method, channel="sms", target_label="138****0002",
                    idempotency_key=f"k-{ref}", provider="sandbox", status="delivered"),
        ])  # fmt: skip
    order = WorkOrder(
        id="w1", task_id="t1", order_key="svc-r1-P2:direct", court_code="J12", kind="direct",
        status="closed", due_at=AT, outcome="left_at_address", closed_by="bailiff-zhao",
        closed_at=AT, details=_service_record(),
    )  # fmt: skip
    session.add(order)
    session.flush()
    session.add(Evidence(id="e1", work_order_id="w1", task_id="t1", kind="photo",
                         media_type="image/png", sha256=store.put(PHOTO), bytes=len(PHOTO),
                         filename="door.png"))  # fmt: skip
    session.commit()
    return "r1"


@pytest.fixture
def seeded(tmp_path: Path) -> Seeded:
    """A finished request with two served parties, one with a photo as evidence."""
    settings = Settings(
        SONGDA_STATE_DIR=tmp_path / "state", DATABASE_URL=f"sqlite:///{tmp_path / 'a.db'}"
    )
    install_ring(settings.key_ring)
    engine = make_engine(settings.effective_database_url)
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    store = DocumentStore(settings.document_dir)
    with sessions() as session:
        request_id = _seed(session, store)
    return Seeded(request_id, settings, sessions, store)

"""Seeds for the evidence and call tests: a request of court J12 with a phone work order."""

from __future__ import annotations

import hashlib
import io
import math
import struct
import wave
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.accounts import issue_token
from domain.tables.core import Court, Document, Party, ServiceRequest, ServiceTask, User, WorkOrder
from tests.api.conftest import auth, make_token
from tests.databases import fresh_database  # noqa: F401 (the tests import it from here)

PHONE = "13800000002"
ID_NUMBER = "11010119950612101X"


@dataclass
class Seeded:
    """The order and the ids around it."""

    order_id: str
    task_id: str
    request_id: str


def wav(seconds: float = 0.2) -> bytes:
    """Returns a small real WAV file (a tone)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        frames = int(8000 * seconds)
        tone = (int(4000 * math.sin(2 * math.pi * 440 * n / 8000)) for n in range(frames))
        out.writeframes(b"".join(struct.pack("<h", s) for s in tone))
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n% signed receipt scan\n"


def sha(content: bytes) -> str:
    """Returns the SHA-256 hex digest."""
    return hashlib.sha256(content).hexdigest()


def _owner(db: Session) -> User:
    owner = db.scalars(select(User).where(User.name == "case-owner")).first()
    if owner is None:
        owner = User(name="case-owner", role="case_system", court_code="J12")
        db.add(owner)
        db.flush()
    return owner


def seed_order(
    db: Session,
    *,
    phones: list[str] | None = None,
    procedure: str = "simplified",
    kinds: tuple[str, ...] = ("summons",),
    status: str = "open",
    order_kind: str = "phone",
) -> Seeded:
    """Stores a request of court J12 (handled by judge-zhang), one person and its work order."""
    if db.get(Court, "J12") is None:
        db.add(Court(code="J12", name="天津市河西区人民法院"))
    owner = _owner(db)
    request = ServiceRequest(
        client_id=owner.id, external_id=f"ext-{datetime.now(UTC).timestamp()}", court_code="J12",
        case_number="（2026）津0103民初1234号", cause="民间借贷纠纷", procedure=procedure,
        handler="judge-zhang",
    )  # fmt: skip
    db.add(request)
    db.flush()
    for position, kind in enumerate(kinds):
        db.add(Document(request_id=request.id, position=position, kind=kind, title="",
                        media_type="application/pdf", sha256="0" * 64, bytes=1))  # fmt: skip
    party = Party(
        request_id=request.id, position=0, ref="P1", name="张三", kind="person",
        role="defendant", id_number=ID_NUMBER, phones=[PHONE] if phones is None else phones,
        addresses=[{"text": "天津市河西区友谊路1号", "postcode": "300000"}],
    )  # fmt: skip
    db.add(party)
    db.flush()
    task = ServiceTask(
        request_id=request.id, party_id=party.id, position=0, party_ref="P1",
        workflow_id=f"svc-{request.id}-P1", status="waiting_human", step="phone",
    )  # fmt: skip
    db.add(task)
    db.flush()
    order = WorkOrder(
        task_id=task.id, order_key=f"{task.workflow_id}-1", court_code="J12", kind=order_kind,
        status=status, due_at=datetime.now(UTC) + timedelta(days=1),
    )  # fmt: skip
    db.add(order)
    db.commit()
    return Seeded(order.id, task.id, request.id)


def people(db: Session) -> dict[str, dict[str, str]]:
    """Creates one user per case the rules tell apart; returns their auth headers by name."""
    _owner(db)
    db.commit()
    made = {
        "clerk": make_token(db, "clerk-li", "clerk"),
        "supervisor": make_token(db, "sup-wang", "supervisor"),
        "judge": make_token(db, "judge-zhang", "judge"),
        "other_judge": make_token(db, "judge-wu", "judge"),
        "far_clerk": make_token(db, "clerk-far", "clerk", court="J99"),
        "ops": make_token(db, "ops-zhao", "ops"),
        "auditor": make_token(db, "auditor-qian", "auditor"),
        "other_system": make_token(db, "other-system", "case_system"),
    }
    owner = db.scalars(select(User).where(User.name == "case-owner")).one()
    made["owner"] = issue_token(session=db, user=owner)
    return {name: auth(token) for name, token in made.items()}

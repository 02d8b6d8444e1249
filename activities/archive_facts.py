"""Reads what an archive shows from the legal record, personal data masked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from activities.archive_basis import service_basis
from domain.crypto.keyring import is_sealed
from domain.crypto.sealed_types import installed_ring
from domain.pure.masking import mask_name
from domain.pure.work_order_rules import RELATION_WORDS
from domain.store.calendar_gaps import calendar_gaps
from domain.tables.core import (
    Attempt,
    Court,
    Document,
    Party,
    ServiceRequest,
    ServiceTask,
    TimelineEvent,
    WorkOrder,
)
from domain.tables.people import Evidence

# Notes the hand-back itself adds to the timelines: never part of the archive, so a rebuilt
# archive stays byte for byte the same.
NOTE_KIND = "archive_note"
PLATFORM = "集约送达平台（songda）"


@dataclass(frozen=True)
class DocumentFact:
    """One served document and its hash."""

    title: str
    kind: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class EvidenceFact:
    """One evidence file of a party's work orders, and where it sits in the zip."""

    id: str
    kind: str
    media_type: str
    sha256: str
    bytes: int
    path: str


@dataclass(frozen=True)
class PartyFact:
    """A party's outcome as its proof of service (送达回证) states it."""

    ref: str
    name: str  # masked
    role: str
    kind: str
    status: str
    method: str
    served_on: str
    attempts: int
    reason: str
    target: str  # the masked address or e-address that served
    signer: str
    relation: str
    server: str
    left_at_address: bool = False  # 留置送达 (CPL 89): left after a recorded refusal
    # While the served-on date rests on a year without holiday data (issue 12, item 9):
    # "暂定：缺少2027年节假日数据".
    provisional: str = ""
    # What the method rests on when it needs the party's consent or confirmation (issue 12, 6):
    # "电子送达经受送达人同意，依据：电子诉讼平台账户（本院全部案件）".
    basis: str = ""
    references: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[EvidenceFact] = field(default_factory=list)


@dataclass(frozen=True)
class RequestFacts:
    """The request as the service report (送达情况报告) states it."""

    request_id: str
    external_id: str
    court_code: str
    court_name: str
    case_number: str
    cause: str
    procedure: str
    completed_at: str
    documents: list[DocumentFact]
    parties: list[PartyFact]


def safe_name(text: str) -> str:
    """Returns text usable as one path segment in the zip."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)[:80] or "_"


def _iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat()


def _event(e: Any) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "at": _iso(e.at),
        "legal_date": e.legal_date.isoformat() if e.legal_date else None,
        "step": e.step,
        "kind": e.kind,
        "detail": e.detail,
    }


@dataclass
class _Rows:
    """What the archive reads of one task, each table read once for all the request's tasks."""

    events: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)  # by created_at
    orders: list[WorkOrder] = field(default_factory=list)  # by created_at


def _rows(session: Session, task_ids: list[str]) -> dict[str, _Rows]:
    """Returns each task's events, evidence, attempts and work orders: four statements, however
    many parties (issue 16: one statement per table and party before, some of them twice)."""
    rows = {task_id: _Rows() for task_id in task_ids}
    if not task_ids:
        return rows
    events = select(
        TimelineEvent.task_id, TimelineEvent.seq, TimelineEvent.at, TimelineEvent.legal_date,
        TimelineEvent.step, TimelineEvent.kind, TimelineEvent.detail,
    ).where(TimelineEvent.task_id.in_(task_ids), TimelineEvent.kind != NOTE_KIND)  # fmt: skip
    order = (TimelineEvent.seq, TimelineEvent.at, TimelineEvent.event_key)
    for e in session.execute(events.order_by(*order)):
        rows[e.task_id].events.append(_event(e))
    evidence = select(Evidence).where(Evidence.task_id.in_(task_ids))
    for row in session.scalars(evidence.order_by(Evidence.created_at, Evidence.id)):
        rows[row.task_id].evidence.append(row)
    attempts = select(Attempt).where(Attempt.task_id.in_(task_ids))
    for attempt in session.scalars(attempts.order_by(Attempt.created_at)):
        rows[attempt.task_id].attempts.append(attempt)
    orders = select(WorkOrder).where(WorkOrder.task_id.in_(task_ids))
    for order_row in session.scalars(orders.order_by(WorkOrder.created_at)):
        rows[order_row.task_id].orders.append(order_row)
    return rows


def _evidence(task: ServiceTask, rows: list[Evidence]) -> list[EvidenceFact]:
    return [
        EvidenceFact(
            id=row.id,
            kind=row.kind,
            media_type=row.media_type,
            sha256=row.sha256,
            bytes=row.bytes,
            path=f"evidence/{safe_name(task.party_ref)}/{row.id}-{safe_name(row.filename)}",
        )
        for row in rows
    ]


def _served_target(task: ServiceTask, attempts: list[Attempt]) -> str:
    """Returns the label of the latest attempt of the task's method (of any step without one)."""
    labels = [a.target_label for a in attempts if not task.method or a.step == task.method]
    return (labels[-1] if labels else "") or ""


def _closing(orders: list[WorkOrder], kind: str, nulls_first: bool) -> WorkOrder | None:
    """Returns the order of that kind closed last, as `ORDER BY closed_at DESC LIMIT 1` picks
    it: an order not closed first on PostgreSQL (NULLS FIRST), last on SQLite."""
    of_kind = [o for o in orders if o.kind == kind]
    still_open = [o for o in of_kind if o.closed_at is None]
    closed = [o for o in of_kind if o.closed_at is not None]
    if still_open and (nulls_first or not closed):
        return still_open[0]
    return max(closed, key=lambda o: o.closed_at or datetime.min) if closed else None


def service_record(order: WorkOrder) -> dict[str, Any]:
    """Returns the direct-service record as the API stored it, its names opened."""
    # The record the outcome route writes (api/work_orders/outcomes.store_learned): the
    # proof reads the same keys, so what the bailiff entered is what the court sees.
    record = dict((order.details or {}).get("service") or {})
    ring = installed_ring()
    for key in ("recipient", "witness", "place"):
        value = record.get(key)
        if isinstance(value, str) and is_sealed(value):
            record[key] = ring.open(value)
    return record


def _signer(order: WorkOrder | None, method: str) -> tuple[str, str, str]:
    """Returns (signer, relation, server) as the work order or the channel records them."""
    if order is not None:
        record = service_record(order)
        recipient = str(record.get("recipient") or "")
        relation = RELATION_WORDS.get(str(record.get("relation") or ""), "")
        return mask_name(recipient) if recipient else "", relation, order.closed_by or PLATFORM
    if method == "electronic":
        return "受送达人（电子确认）", "本人", PLATFORM
    if method == "mail":
        return "见邮件回执", "", "邮政 EMS（法院专递）"
    if method == "public_notice":
        return "—", "", PLATFORM
    return "", "", PLATFORM


def _references(
    evidence: list[EvidenceFact], attempts: list[Attempt], orders: list[WorkOrder]
) -> list[str]:
    refs = [f"{e.kind}: {e.path} (sha256 {e.sha256[:16]}…)" for e in evidence]
    # Provider references tie the proof to the raw receipts kept with each attempt.
    refs += [
        f"{a.step}/{a.channel} → {a.target_label}: {a.status} ({a.provider} "
        f"{a.provider_reference or a.idempotency_key})"
        for a in attempts
    ]
    for order in orders:
        witness = service_record(order).get("witness")
        if order.outcome:
            refs.append(f"work order {order.kind}: {order.outcome}")
        if witness:
            refs.append(f"witness: {mask_name(str(witness))}")
    return refs


def _party(task: ServiceTask, rows: _Rows, provisional: str, nulls_first: bool) -> PartyFact:
    evidence = _evidence(task, rows.evidence)
    closing = _closing(rows.orders, task.method or "", nulls_first)
    signer, relation, server = _signer(closing, task.method or "")
    party = task.party
    target = _served_target(task, rows.attempts)
    return PartyFact(
        ref=task.party_ref,
        name=mask_name(party.name),
        role=party.role,
        kind=party.kind,
        status=task.status,
        method=task.method or "",
        served_on=task.served_on.isoformat() if task.served_on else "",
        attempts=task.attempts,
        reason=task.reason or "",
        target=target,
        signer=signer if task.status == "served" else "",
        relation=relation if task.status == "served" else "",
        server=server,
        left_at_address=closing is not None and closing.outcome == "left_at_address",
        provisional=provisional if task.status == "served" else "",
        basis=service_basis(task, target, rows.events) if task.status == "served" else "",
        references=_references(evidence, rows.attempts, rows.orders),
        events=rows.events,
        evidence=evidence,
    )


def _provisional(session: Session, tasks: list[ServiceTask]) -> dict[str, str]:
    """Returns why each served task's served-on date is provisional (tasks absent when not)."""
    served = [task.id for task in tasks if task.status == "served"]
    if not served:
        return {}
    words: dict[str, str] = {}
    for gap in calendar_gaps(session, served):
        words.setdefault(gap.task_id, gap.words_zh)
    return words


def gather(session: Session, request_id: str) -> RequestFacts:
    """Returns the facts of a request's archive: the request and its court, documents, tasks
    and parties, then each table of the tasks' rows once for all of them."""
    query = (
        select(ServiceRequest, Court)
        .outerjoin(Court, Court.code == ServiceRequest.court_code)
        .where(ServiceRequest.id == request_id)
    )
    request, court = session.execute(query).one()
    documents = session.scalars(
        select(Document).where(Document.request_id == request_id).order_by(Document.position)
    ).all()
    # Each task with its party in one statement; task.party then reads the identity map.
    pairs = session.execute(
        select(ServiceTask, Party)
        .join(Party, Party.id == ServiceTask.party_id)
        .where(ServiceTask.request_id == request_id)
        .order_by(ServiceTask.position)
    ).all()
    tasks = [task for task, _party in pairs]
    rows = _rows(session, [task.id for task in tasks])
    provisional = _provisional(session, tasks)
    nulls_first = session.get_bind().dialect.name == "postgresql"
    return RequestFacts(
        request_id=request.id,
        external_id=request.external_id,
        court_code=request.court_code,
        court_name=court.name if court else request.court_code,
        case_number=request.case_number,
        cause=request.cause,
        procedure=request.procedure,
        completed_at=_iso(request.completed_at),
        documents=[
            DocumentFact(title=d.title, kind=d.kind, sha256=d.sha256, bytes=d.bytes)
            for d in documents
        ],
        parties=[
            _party(task, rows[task.id], provisional.get(task.id, ""), nulls_first) for task in tasks
        ],
    )

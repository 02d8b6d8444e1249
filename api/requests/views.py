"""Builds response bodies from rows, masking personal data by the caller's role."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.auth import CLERK, SUPERVISOR, as_utc
from api.archive.bodies import ArchiveOut
from api.requests.bodies import (
    AddressOut,
    CourtOut,
    MediationOut,
    PartyView,
    RequestOut,
    TaskOut,
)
from api.requests.deadlines import DeadlineOut, deadline_body, deadline_out
from api.tasks.bodies import TimelineItemOut
from api.work_orders.bodies import WorkOrderOut
from domain.crypto.keyring import KeyRing
from domain.pure.legal_calendar import LegalCalendar
from domain.pure.masking import (
    mask_address,
    mask_email,
    mask_name,
    mask_phone,
    mask_text,
    mask_value,
)
from domain.pure.mediation import RULE_BY_WORDS, mediation_effect
from domain.pure.rules import MEDIATION_KINDS
from domain.store.calendar_gaps import calendar_gaps
from domain.store.case_dates import request_latest
from domain.store.contacts import repaired_numbers
from domain.tables.archive import Archive
from domain.tables.core import Court, Party, ServiceRequest, ServiceTask, TimelineEvent, WorkOrder

# Clerks and supervisors call the numbers and visit the addresses, so they see them in full.
FULL_VIEW_ROLES = frozenset({CLERK, SUPERVISOR})


def task_out(task: ServiceTask, provisional: bool = False) -> TaskOut:
    """Returns a task's public fields."""
    return TaskOut(
        id=task.id,
        party_ref=task.party_ref,
        workflow_id=task.workflow_id,
        status=task.status,
        step=task.step,
        method=task.method,
        served_on=task.served_on,
        reason=mask_text(task.reason) if task.reason else task.reason,
        attempts=task.attempts,
        provisional=provisional,
    )


def archive_out(session: Session, request_id: str) -> ArchiveOut | None:
    """Returns the request's archive (URL relative to the API, zip's SHA-256) once filed."""
    row = session.scalar(select(Archive).where(Archive.request_id == request_id))
    if row is None:
        return None
    return ArchiveOut(url=f"/v1/service-requests/{request_id}/archive", sha256=row.sha256)


def request_out(session: Session, request: ServiceRequest) -> RequestOut:
    """Returns a request with its court, tasks and, once filed, its archive."""
    court = session.get(Court, request.court_code)
    provisional = {gap.task_id for gap in calendar_gaps(session, [t.id for t in request.tasks])}
    return _request_body(
        request,
        court.name if court else "",
        tasks=[task_out(task, task.id in provisional) for task in request.tasks],
        archive=archive_out(session, request.id),
        deadline=deadline_out(session, request),
        mediation=mediation_out(session, request),
    )


def stored_request_out(
    request: ServiceRequest, court_name: str, calendar: LegalCalendar | None
) -> RequestOut:
    """Returns the answer for a request just stored, from its rows in memory: no read-back.

    Nothing has happened to it yet, so it has no timeline (no provisional date, deadline
    warning or signed statement), no archive, and the deadline the law gives its dates.
    `request.documents` and `request.tasks` must be loaded; `calendar` is needed only when the
    request gives a case date.
    """
    latest = request_latest(request, calendar or LegalCalendar())
    return _request_body(
        request,
        court_name,
        tasks=[task_out(task) for task in request.tasks],
        archive=None,
        deadline=None if latest is None else deadline_body(latest, at_risk=[]),
        mediation=_mediation(request, rules={}),
    )


def _request_body(
    request: ServiceRequest,
    court_name: str,
    *,
    tasks: list[TaskOut],
    archive: ArchiveOut | None,
    deadline: DeadlineOut | None,
    mediation: MediationOut | None,
) -> RequestOut:
    return RequestOut(
        id=request.id,
        external_id=request.external_id,
        status=request.status,
        case_number=request.case_number,
        court=CourtOut(code=request.court_code, name=court_name),
        created_at=as_utc(request.created_at),
        tasks=tasks,
        archive=archive,
        hearing_at=as_utc(request.hearing_at) if request.hearing_at else None,
        accepted_on=request.accepted_on,
        pronounced_on=request.pronounced_on,
        deadline=deadline,
        mediation=mediation,
    )


def mediation_out(session: Session, request: ServiceRequest) -> MediationOut | None:
    """Returns who signed a mediation statement and whether it took effect, if one is served."""
    if not {d.kind for d in request.documents} & MEDIATION_KINDS:
        return None
    finished = session.execute(
        select(TimelineEvent.task_id, TimelineEvent.detail)
        .where(TimelineEvent.task_id.in_([t.id for t in request.tasks]))
        .where(TimelineEvent.kind == "finished")
        .order_by(TimelineEvent.seq)
    ).all()
    rules = {task_id: str((detail or {}).get("rule", "")) for task_id, detail in finished}
    return _mediation(request, rules)


def _mediation(request: ServiceRequest, rules: dict[str, str]) -> MediationOut | None:
    """Returns the mediation statement's effect from each task's serving rule, if one is served."""
    if not {d.kind for d in request.documents} & MEDIATION_KINDS:
        return None
    effect = mediation_effect(
        (t.party_ref, RULE_BY_WORDS.get(rules.get(t.id, ""), "")) for t in request.tasks
    )
    return MediationOut(**asdict(effect))


def timeline_item(event: TimelineEvent, role: str | None = None) -> TimelineItemOut:
    """Returns one timeline event; numbers in its details are masked unless the role calls them."""
    detail = event.detail if role in FULL_VIEW_ROLES else mask_value(event.detail)
    return TimelineItemOut(
        seq=event.seq,
        at=as_utc(event.at),
        legal_date=event.legal_date,
        step=event.step,
        kind=event.kind,
        detail=detail if isinstance(detail, dict) else {},
    )


def _address(raw: Any, full: bool) -> AddressOut:
    text = str(raw.get("text", "")) if isinstance(raw, dict) else str(raw)
    postcode = str(raw.get("postcode", "") or "") if isinstance(raw, dict) else ""
    return AddressOut(text=text if full else mask_address(text), postcode=postcode)


def party_view(party: Party, role: str, ring: KeyRing) -> PartyView:
    """Returns the party as the role may see it: in full for clerks, masked otherwise."""
    full = role in FULL_VIEW_ROLES
    phone = (lambda p: p) if full else mask_phone
    return PartyView(
        ref=party.ref,
        name=party.name if full else mask_name(party.name),
        kind=party.kind,
        phones=[phone(str(p)) for p in party.phones],
        repaired_phones=[phone(p) for p in repaired_numbers(party, ring)],
        emails=[str(e) if full else mask_email(str(e)) for e in party.emails],
        addresses=[_address(a, full) for a in party.addresses],
    )


def work_order_out(
    order: WorkOrder, task: ServiceTask, case_number: str, role: str, ring: KeyRing
) -> WorkOrderOut:
    """Returns a work order with its party as the role may see it."""
    return WorkOrderOut(
        id=order.id,
        task_id=order.task_id,
        case_number=case_number,
        kind=order.kind,
        status=order.status,
        due_at=as_utc(order.due_at),
        outcome=order.outcome,
        party=party_view(task.party, role, ring),
    )

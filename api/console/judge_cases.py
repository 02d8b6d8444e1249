"""Reads for the judge's pages: my cases, and one request with parties and timelines."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Request
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.access.auth import as_utc, may_read_request
from api.console.clerk_orders import EVIDENCE_KINDS
from api.console.judge_deadlines import deadline_view
from api.console.labels import (
    DETAIL_KEYS,
    EVENT_KINDS,
    OUTCOMES,
    PARTY_KINDS,
    REQUEST_STATUS,
    STEPS,
    TASK_STATUS,
    label,
)
from api.console.ladder_svg import party_ladder
from api.console.session import audit_view
from domain.pure.console_texts import law_text, outcome_text, plan_reason
from domain.pure.masking import mask_address, mask_id_number, mask_name, mask_phone, mask_text
from domain.store.calendar_gaps import calendar_gaps
from domain.tables.archive import Archive
from domain.tables.core import Party, ServiceRequest, ServiceTask, TimelineEvent, User, WorkOrder
from domain.tables.people import Evidence

MAX_ROWS = 200


def _mine(user: User) -> Any:
    return or_(ServiceRequest.client_id == user.id, ServiceRequest.handler == user.name)


def my_cases(request: Request, user: User) -> list[dict[str, Any]]:
    """Returns the judge's requests in its court (submitted or handled), newest first."""
    query = select(ServiceRequest).where(_mine(user))
    if user.court_code is not None:
        query = query.where(ServiceRequest.court_code == user.court_code)
    query = query.order_by(ServiceRequest.created_at.desc()).limit(MAX_ROWS)
    with request.app.state.session_factory() as session:
        return [_case_row(r) for r in session.scalars(query)]


def _case_row(row: ServiceRequest) -> dict[str, Any]:
    served = sum(1 for t in row.tasks if t.status == "served")
    return {
        "id": row.id,
        "case_number": row.case_number,
        "cause": row.cause,
        "status": label(REQUEST_STATUS, row.status),
        "created_at": row.created_at,
        "progress": f"{served}/{len(row.tasks)}",
    }


def request_page(request: Request, user: User, request_id: str) -> dict[str, Any] | None:
    """Returns what the request page shows, or None when the judge may not see it."""
    with request.app.state.session_factory() as session:
        row = session.get(ServiceRequest, request_id)
        if row is None or not may_read_request(
            user, client_id=row.client_id, court_code=row.court_code
        ):
            return None
        own = row.client_id == user.id or row.handler == user.name
        # A notice date in a year without holiday data is marked until the year is entered.
        gaps = {g.task_id: g.words_zh for g in calendar_gaps(session, [t.id for t in row.tasks])}
        parties = [_party(session, task, own) | {"provisional": gaps.get(task.id, "")}
                   for task in row.tasks]  # fmt: skip
        archive = session.scalar(select(Archive).where(Archive.request_id == row.id))
        # The judge of the request sees the names and addresses it submitted: audited.
        if own:
            audit_view(request, session, action="console.view_request", target=f"request:{row.id}")
            session.commit()
        return {
            "id": row.id,
            "case_number": row.case_number,
            "cause": row.cause,
            "status": row.status,
            "status_label": label(REQUEST_STATUS, row.status),
            "parties": parties,
            "deadline": deadline_view(session, row),
            "archive": {"sha256": archive.sha256, "bytes": archive.bytes} if archive else None,
        }


def _identity(party: Party) -> str:
    value = party.id_number or party.credit_code or party.licence_number
    return mask_id_number(value) if value else "—"


def _party(session: Session, task: ServiceTask, own: bool) -> dict[str, Any]:
    party = task.party
    raw = _raw_events(session, task)
    # On an accelerated clock the legal dates run ahead of the calendar: "now" is the later.
    now = max([date.today(), *(e.legal_date for e in raw if e.legal_date)])
    return {
        "ref": party.ref,
        "name": party.name if own else mask_name(party.name),
        "kind": label(PARTY_KINDS, party.kind),
        "identity": _identity(party) if own else "",
        "phones": [mask_phone(str(p)) for p in party.phones],
        "addresses": [_address_text(a, own) for a in party.addresses],
        "status": task.status,
        "status_label": label(TASK_STATUS, task.status),
        "step": label(STEPS, task.step),
        "method": label(STEPS, task.method) if task.method else "",
        "served_on": task.served_on.isoformat() if task.served_on else "",
        "reason": outcome_text(task.reason) if task.reason else "",
        "timeline": _timeline(session, task, own, raw),
        "ladder": party_ladder(raw, task, now),
        # Evidence is served to the request's own judge only (api/evidence_access.py).
        "evidence": _evidence(session, task) if own else [],
    }


def _evidence(session: Session, task: ServiceTask) -> list[dict[str, Any]]:
    query = select(Evidence).where(Evidence.task_id == task.id).order_by(Evidence.created_at)
    return [
        {"id": row.id, "kind": label(EVIDENCE_KINDS, row.kind), "filename": row.filename,
         "bytes": row.bytes, "sha256": row.sha256}
        for row in session.scalars(query)
    ]  # fmt: skip


def _address_text(raw: Any, full: bool) -> str:
    text = str(raw.get("text", "")) if isinstance(raw, dict) else str(raw)
    return text if full else mask_address(text)


def _raw_events(session: Session, task: ServiceTask) -> list[TimelineEvent]:
    query = (
        select(TimelineEvent)
        .where(TimelineEvent.task_id == task.id)
        .order_by(TimelineEvent.seq, TimelineEvent.at)
    )
    return list(session.scalars(query))


def _timeline(
    session: Session, task: ServiceTask, own: bool, raw: list[TimelineEvent]
) -> list[dict[str, Any]]:
    addresses = [_address_text(a, True) for a in task.party.addresses] if own else []
    events = [_event(e, addresses) for e in raw]
    orders = session.scalars(select(WorkOrder).where(WorkOrder.task_id == task.id))
    events += [_order_event(o) for o in orders if o.closed_at is not None]
    # The plan first, so its reasons read before the steps; then everything in time order.
    events.sort(key=lambda e: (e["kind"] != "plan", as_utc(e["at"])))
    return events


def _resolve(label_text: Any, addresses: list[str]) -> Any:
    """Shows the judge of the request the full address behind a masked label, when unambiguous."""
    matches = [a for a in addresses if mask_address(a) == label_text]
    return matches[0] if len(matches) == 1 else label_text


def _value(key: str, value: Any, addresses: list[str]) -> Any:
    if key == "contacts":
        labels = value if isinstance(value, list) else str(value).split(", ")
        return "，".join(str(_resolve(v, addresses)) for v in labels)
    if key == "status":
        return label(TASK_STATUS, str(value))
    if key == "method":
        return label(STEPS, str(value))
    if key == "article":
        return law_text(str(value)) or value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return outcome_text(value)
    return value


def _event(event: TimelineEvent, addresses: list[str]) -> dict[str, Any]:
    detail = dict(event.detail or {})
    steps = detail.pop("steps", None) if event.kind == "plan" else None
    return {
        "at": event.at,
        "legal_date": event.legal_date.isoformat() if event.legal_date else "",
        "step": label(STEPS, event.step) if event.step else "",
        "kind": event.kind,
        "kind_label": label(EVENT_KINDS, event.kind),
        "steps": [
            {
                "step": label(STEPS, s.get("step")),
                "reason": plan_reason(s.get("step"), str(s.get("reason", ""))),
                "wait_days": s.get("wait_days"),
            }
            for s in steps or []
            if isinstance(s, dict)
        ],  # fmt: skip
        "detail": {
            label(DETAIL_KEYS, k): _value(k, v, addresses)
            for k, v in detail.items()
            if v not in (None, "", [], {})
        },
    }


def _order_event(order: WorkOrder) -> dict[str, Any]:
    """Shows the judge what the clerk or bailiff recorded (the note masked like logs are)."""
    detail = {"结果": label(OUTCOMES, order.outcome), "处理人": order.closed_by or ""}
    if order.note:
        detail["备注"] = mask_text(order.note)
    return {
        "at": order.closed_at, "legal_date": "", "step": label(STEPS, order.kind),
        "kind": "work_order", "kind_label": label(EVENT_KINDS, "work_order"), "steps": [],
        "detail": {k: v for k, v in detail.items() if v},
    }  # fmt: skip

"""Reads for the clerk's pages: the queue, and the call screen of one work order."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from api.access.auth import as_utc
from api.console.labels import (
    CALL_RESULT_LABELS,
    DOCUMENT_KINDS,
    ORDER_KINDS,
    ORDER_STATUS,
    OUTCOMES,
    PARTY_KINDS,
    label,
)
from api.console.session import audit_view
from api.evidence.service import list_evidence
from api.work_orders.bodies import WorkOrderOut
from api.work_orders.calls import call_attempts_summary, list_calls
from api.work_orders.scope import order_in_scope
from api.work_orders.service import list_work_orders
from domain.pure.call_script import script_for
from domain.pure.ladder import WORK_ORDER_OUTCOMES
from domain.pure.masking import mask_name
from domain.settings import Settings
from domain.store.contacts import repaired_numbers
from domain.tables.core import Court, ServiceRequest, User

QUEUE_LIMIT = 200
EVIDENCE_KINDS = {
    "recording": "通话录音",
    "photo": "照片",
    "video": "视频",
    "signed_receipt": "签收的送达回证",
}


def _row(item: WorkOrderOut) -> dict[str, Any]:
    return {
        "id": item.id,
        "case_number": item.case_number,
        "kind": label(ORDER_KINDS, item.kind),
        "party": mask_name(item.party.name),
        "due_at": item.due_at,
        "overdue": item.overdue,
        "assignee": item.assignee,
        "calls": item.call_attempts,
        "status": label(ORDER_STATUS, item.status),
    }


def orders(
    request: Request, user: User, *, assignee: str | None = None, overdue: bool = False
) -> list[dict[str, Any]]:
    """Returns open work orders in the user's scope as queue rows (names masked, no numbers)."""
    settings: Settings = request.app.state.settings
    with request.app.state.session_factory() as session:
        found = list_work_orders(
            session=session, user=user, status="open", kind=None, limit=QUEUE_LIMIT,
            ring=settings.key_ring, assignee=assignee, overdue=overdue,
        )  # fmt: skip
    return [_row(item) for item in found.items]


def queue(request: Request, user: User) -> dict[str, list[dict[str, Any]]]:
    """Returns the clerk's own open orders and the court's unassigned ones."""
    return {
        "mine": orders(request, user, assignee="me"),
        "unassigned": orders(request, user, assignee="unassigned"),
    }


def call_screen(request: Request, user: User, order_id: str) -> dict[str, Any]:
    """Returns what the call screen shows; the full numbers are shown here only, audited."""
    settings: Settings = request.app.state.settings
    with request.app.state.session_factory() as session:
        order, task = order_in_scope(session, user, order_id)
        row = session.get_one(ServiceRequest, task.request_id)
        party = task.party
        numbers = list(dict.fromkeys([str(p) for p in party.phones]
                                     + repaired_numbers(party, settings.key_ring)))  # fmt: skip
        if order.kind == "phone" and order.status == "open":
            audit_view(
                request, session, action="console.view_phone", target=f"work_order:{order.id}"
            )
            session.commit()
        return {
            "order": {
                "id": order.id, "kind": order.kind, "kind_label": label(ORDER_KINDS, order.kind),
                "status": order.status, "status_label": label(ORDER_STATUS, order.status),
                "due_at": order.due_at, "overdue": order.status == "open"
                and as_utc(order.due_at) < datetime.now(UTC),
                "outcome": label(OUTCOMES, order.outcome) if order.outcome else "",
                "mine": order.assignee_id == user.id, "assigned": order.assignee_id is not None,
            },
            "case": {"number": row.case_number, "cause": row.cause},
            "party": {
                "name": party.name, "kind": label(PARTY_KINDS, party.kind), "numbers": numbers,
                "addresses": [_address(a) for a in party.addresses],
            },
            "script": _script(session, row, party.name, party.kind),
            "calls": _calls(session, user, order.id) if order.kind == "phone" else [],
            "summary": _summary(session, order.id, settings) if order.kind == "phone" else None,
            "rule": {"attempts": settings.call_min_attempts, "periods": settings.call_min_periods},
            "evidence": list_evidence(session=session, user=user, order_id=order.id).items,
            "outcomes": {k: label(OUTCOMES, k) for k in sorted(WORK_ORDER_OUTCOMES[order.kind])},
        }  # fmt: skip


def _summary(session: Session, order_id: str, settings: Settings) -> Any:
    return call_attempts_summary(
        session, order_id, min_attempts=settings.call_min_attempts,
        min_periods=settings.call_min_periods,
    )  # fmt: skip


def _address(raw: Any) -> str:
    return str(raw.get("text", "")) if isinstance(raw, dict) else str(raw)


def _script(session: Session, row: ServiceRequest, name: str, kind: str) -> Any:
    court = session.get(Court, row.court_code)
    return script_for(
        court_name=court.name if court else row.court_code, case_number=row.case_number,
        cause=row.cause, procedure=row.procedure,
        documents=[(d.kind, d.title or label(DOCUMENT_KINDS, d.kind)) for d in row.documents],
        party_name=name, party_kind=kind,
    )  # fmt: skip


def _calls(session: Session, user: User, order_id: str) -> list[dict[str, Any]]:
    return [
        {
            "started_at": call.started_at,
            "result": label(CALL_RESULT_LABELS, call.result) if call.result else "待取回记录",
            "duration": call.duration_seconds,
            "source": "手动登记" if call.source == "manual" else "云呼叫",
        }  # fmt: skip
        for call in list_calls(session=session, user=user, order_id=order_id)
    ]

"""Callbacks refused for their target: listed for ops, since they are never retried."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.tables.archive import CallbackDelivery

REFUSED = "refused: "  # activities/archive_callback.py writes it before the reason


def refused_callbacks(session: Session, limit: int = 200) -> list[tuple[str, str, datetime]]:
    """Returns (request id, why, when) of callbacks refused for their target, not since sent."""
    answered = select(CallbackDelivery.request_id).where(
        CallbackDelivery.status_code >= 200, CallbackDelivery.status_code < 300
    )
    query = (
        select(CallbackDelivery.request_id, CallbackDelivery.error, CallbackDelivery.at)
        .where(
            CallbackDelivery.error.startswith(REFUSED),
            CallbackDelivery.request_id.not_in(answered),
        )
        .order_by(CallbackDelivery.at.desc())
        .limit(limit)
    )
    latest: dict[str, tuple[str, str, datetime]] = {}
    for request_id, error, at in session.execute(query):
        latest.setdefault(request_id, (request_id, str(error).removeprefix(REFUSED), at))
    return list(latest.values())

"""Court scoping for lists built without a user: keep only what the caller's court may see."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.auth import may_read_request
from domain.tables.core import ServiceRequest, User


def readable_request_ids(*, session: Session, user: User, request_ids: Iterable[str]) -> set[str]:
    """Returns the ids among request_ids whose request the user may read."""
    wanted = set(request_ids)
    if not wanted:
        return set()
    rows = session.execute(
        select(ServiceRequest.id, ServiceRequest.client_id, ServiceRequest.court_code).where(
            ServiceRequest.id.in_(wanted)
        )
    )
    return {
        request_id
        for request_id, client_id, court_code in rows
        if may_read_request(user, client_id=client_id, court_code=court_code)
    }

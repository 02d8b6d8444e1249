"""Routes of the audit: search and chain verification, for the auditor and audit administrator."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from api.audit import service as audit_service
from api.audit.bodies import AuditPageOut, ChainReportOut
from api.audit.service import MAX_LIMIT, AuditQuery
from api.deps import AuditReader, SessionDep

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get("/verify", response_model=ChainReportOut)
def verify(user: AuditReader, session: SessionDep) -> ChainReportOut:
    """Walks the whole chain; `first_broken` is the seq of the first entry that fails."""
    return audit_service.verify(session=session, user=user)


@router.get("", response_model=AuditPageOut)
def search(
    user: AuditReader,
    session: SessionDep,
    actor: str | None = None,
    action: Annotated[str | None, Query(description="exact, or a prefix ending in *")] = None,
    target: str | None = None,
    court: str | None = None,
    since: Annotated[
        datetime | None, Query(alias="from", description="inclusive; no offset: UTC+8")
    ] = None,
    until: Annotated[datetime | None, Query(alias="to", description="exclusive")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    before: Annotated[int | None, Query(ge=1, description="seq: older entries only")] = None,
) -> AuditPageOut:
    """Searches the audit, newest first; the search is itself recorded."""
    query = AuditQuery(
        actor=actor, action=action, target=target, court=court,
        since=since, until=until, limit=limit, before=before,
    )  # fmt: skip
    return audit_service.search(session=session, user=user, query=query)

"""Routes of the audit: search and chain verification, for the auditor and audit administrator."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from api.audit import service as audit_service
from api.audit.bodies import AuditPageOut, ChainReportOut
from api.audit.service import AUDIT_READERS, MAX_LIMIT, AuditQuery
from api.deps import CurrentUser, SessionDep
from domain.tables.core import User

router = APIRouter(prefix="/v1/audit", tags=["audit"])


def audit_reader(request: Request, user: CurrentUser) -> User:
    """Lets only auditors and audit administrators through; a refusal is itself audited."""
    if user.role in AUDIT_READERS:
        return user
    with request.app.state.session_factory() as session:
        audit_service.refuse(session=session, user=user, path=request.url.path)
    raise HTTPException(
        status_code=403, detail="only the auditor and the audit administrator read the audit"
    )


AuditReader = Annotated[User, Depends(audit_reader)]


@router.get("/verify", response_model=ChainReportOut)
async def verify(user: AuditReader, session: SessionDep) -> ChainReportOut:
    """Walks the whole chain; `first_broken` is the seq of the first entry that fails."""
    return await run_in_threadpool(audit_service.verify, session=session, user=user)


@router.get("", response_model=AuditPageOut)
async def search(
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
    return await run_in_threadpool(audit_service.search, session=session, user=user, query=query)

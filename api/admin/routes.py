"""Routes of the separated administrators: users (sysadmin), security policies (secadmin), and
the holiday calendar (sysadmin or ops)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.admin import calendar
from api.admin import users as users_service
from api.admin.bodies import (
    AuditorIn,
    PoliciesIn,
    PoliciesOut,
    RevokeIn,
    RevokeOut,
    UserIn,
    UserOut,
    UsersOut,
)
from api.audit.context import audit_user_action
from api.deps import (
    AuditAdmin,
    CalendarAdmin,
    SecurityAdmin,
    SessionDep,
    SystemAdmin,
    TemporalDep,
)
from api.errors import Unavailable
from domain.pure.legal_calendar import YearOverride
from domain.store.calendar_recompute import Recomputed
from domain.tables.core import User

router = APIRouter(tags=["administration"])

# Three-role separation: neither administrator can do the other's work, nor read the audit.


@router.get("/v1/users", response_model=UsersOut)
def list_users(user: SystemAdmin, session: SessionDep) -> UsersOut:
    """Lists the users the system administrator manages (phones masked)."""
    return users_service.list_users(session=session, actor=user)


@router.post("/v1/users", status_code=201, response_model=UserOut)
def add_user(user: SystemAdmin, session: SessionDep, body: UserIn) -> UserOut:
    """Creates a user; administrator roles are refused (403: CLI at installation only)."""
    return users_service.add_user(session=session, actor=user, user_in=body)


@router.post("/v1/users/{name}/disable", response_model=UserOut)
def disable_user(name: str, user: SystemAdmin, session: SessionDep) -> UserOut:
    """Disables a user: its tokens and console sessions stop working at once."""
    return users_service.disable(session=session, actor=user, name=name)


@router.post("/v1/users/{name}/tokens/revoke", response_model=RevokeOut)
def revoke_tokens(
    name: str, user: SystemAdmin, session: SessionDep, body: RevokeIn | None = None
) -> RevokeOut:
    """Revokes all of a user's tokens, or the one whose first characters are given."""
    return users_service.revoke(session=session, actor=user, name=name,
        revoke_in=body or RevokeIn(),
    )  # fmt: skip


@router.get("/v1/auditors", response_model=UsersOut)
def list_auditors(user: AuditAdmin, session: SessionDep) -> UsersOut:
    """Lists the auditors (the audit administrator's accounts)."""
    return users_service.list_users(session=session, actor=user)


@router.post("/v1/auditors", status_code=201, response_model=UserOut)
def add_auditor(user: AuditAdmin, session: SessionDep, body: AuditorIn) -> UserOut:
    """Creates an auditor; only the audit administrator may."""
    return users_service.add_user(session=session, actor=user, user_in=body.as_user())


@router.post("/v1/auditors/{name}/disable", response_model=UserOut)
def disable_auditor(name: str, user: AuditAdmin, session: SessionDep) -> UserOut:
    """Disables an auditor (403 for any other account)."""
    return users_service.disable(session=session, actor=user, name=name)


@router.post("/v1/auditors/{name}/tokens/revoke", response_model=RevokeOut)
def revoke_auditor_tokens(
    name: str, user: AuditAdmin, session: SessionDep, body: RevokeIn | None = None
) -> RevokeOut:
    """Revokes an auditor's tokens, all or the one whose first characters are given."""
    return users_service.revoke(session=session, actor=user, name=name,
        revoke_in=body or RevokeIn(),
    )  # fmt: skip


@router.get("/v1/security/policies", response_model=PoliciesOut)
def read_policies(user: SecurityAdmin, session: SessionDep) -> PoliciesOut:
    """Returns the security policies in force."""
    return users_service.read_policies(session=session)


@router.put("/v1/security/policies", response_model=PoliciesOut)
def set_policies(user: SecurityAdmin, session: SessionDep, body: PoliciesIn) -> PoliciesOut:
    """Changes some policies (422 on values outside their bounds); audited."""
    return users_service.set_policies(session=session, actor=user, change=body)


@router.put("/v1/calendar/years/{year}", response_model=calendar.CalendarYearOut)
async def enter_calendar_year(
    year: Annotated[int, Path(ge=2000, le=2100)],
    body: calendar.CalendarYearIn,
    user: CalendarAdmin,
    session: SessionDep,
    temporal: TemporalDep,
) -> calendar.CalendarYearOut:
    """Enters the State Council's notice for a year (422 naming a bad date); audited.

    Provisional notice dates the year settles are recomputed: served tasks here, running
    notices by their workflows, told with the calendar_updated signal.
    """
    override = calendar.year_override(year, body)
    done = await run_in_threadpool(_enter_year, session, user, override, body.source)
    told = 0
    if done.running:
        try:
            client = await temporal.client()
            told = await calendar.tell_running(client, done.running, year, body.source)
        except Unavailable:
            pass  # each running notice reads the calendar again when its provisional date comes
    return calendar.year_out(override, done, told)


def _enter_year(session: Session, user: User, override: YearOverride, source: str) -> Recomputed:
    audit_user_action(session, user, action="calendar.import", target=f"calendar:{override.year}",
                      detail={"holidays": len(override.holidays),
                              "workdays": len(override.workdays), "source": source})  # fmt: skip
    return calendar.enter_year(session, override, source=source, actor=user.name, role=user.role)

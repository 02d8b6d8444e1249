"""Routes of the separated administrators: users (sysadmin) and security policies (secadmin)."""

from __future__ import annotations

from fastapi import APIRouter

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
from api.deps import AuditAdmin, SecurityAdmin, SessionDep, SystemAdmin

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

"""Routes of the separated administrators: users (sysadmin) and security policies (secadmin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool

from api.access.auth import SECADMIN, SYSADMIN, require_roles
from api.admin import users as users_service
from api.admin.bodies import (
    PoliciesIn,
    PoliciesOut,
    RevokeIn,
    RevokeOut,
    UserIn,
    UserOut,
    UsersOut,
)
from api.deps import SessionDep
from domain.tables.core import User

router = APIRouter(tags=["administration"])

# Three-role separation: neither administrator can do the other's work, nor read the audit.
SystemAdmin = Annotated[User, Depends(require_roles(SYSADMIN))]
SecurityAdmin = Annotated[User, Depends(require_roles(SECADMIN))]


@router.get("/v1/users", response_model=UsersOut)
async def list_users(user: SystemAdmin, session: SessionDep) -> UsersOut:
    """Lists the users the system administrator manages (phones masked)."""
    return await run_in_threadpool(users_service.list_users, session=session, actor=user)


@router.post("/v1/users", status_code=201, response_model=UserOut)
async def add_user(user: SystemAdmin, session: SessionDep, body: UserIn) -> UserOut:
    """Creates a user; administrator roles are refused (403: CLI at installation only)."""
    return await run_in_threadpool(
        users_service.add_user, session=session, actor=user, user_in=body
    )


@router.post("/v1/users/{name}/disable", response_model=UserOut)
async def disable_user(name: str, user: SystemAdmin, session: SessionDep) -> UserOut:
    """Disables a user: its tokens and console sessions stop working at once."""
    return await run_in_threadpool(users_service.disable, session=session, actor=user, name=name)


@router.post("/v1/users/{name}/tokens/revoke", response_model=RevokeOut)
async def revoke_tokens(
    name: str, user: SystemAdmin, session: SessionDep, body: RevokeIn | None = None
) -> RevokeOut:
    """Revokes all of a user's tokens, or the one whose first characters are given."""
    return await run_in_threadpool(
        users_service.revoke, session=session, actor=user, name=name,
        revoke_in=body or RevokeIn(),
    )  # fmt: skip


@router.get("/v1/security/policies", response_model=PoliciesOut)
async def read_policies(user: SecurityAdmin, session: SessionDep) -> PoliciesOut:
    """Returns the security policies in force."""
    return await run_in_threadpool(users_service.read_policies, session=session)


@router.put("/v1/security/policies", response_model=PoliciesOut)
async def set_policies(user: SecurityAdmin, session: SessionDep, body: PoliciesIn) -> PoliciesOut:
    """Changes some policies (422 on values outside their bounds); audited."""
    return await run_in_threadpool(
        users_service.set_policies, session=session, actor=user, change=body
    )

"""Bearer tokens and roles: who the caller is and what its role lets it do."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from api.access.oidc import looks_like_jwt, verifier_for
from api.access.token_cache import TokenCache
from api.audit.context import audit_user_action
from domain.tables.core import ApiToken, User

CASE_SYSTEM = "case_system"
JUDGE = "judge"
CLERK = "clerk"
SUPERVISOR = "supervisor"
OPS = "ops"
AUDITOR = "auditor"
# The three separated administrators of MLPS level 3: users, policies, audit.
SYSADMIN = "sysadmin"
SECADMIN = "secadmin"
AUDITADMIN = "auditadmin"
ADMIN_ROLES = frozenset({SYSADMIN, SECADMIN, AUDITADMIN})
ROLES = frozenset({CASE_SYSTEM, JUDGE, CLERK, SUPERVISOR, OPS, AUDITOR} | ADMIN_ROLES)
# Court staff may read any request of their court; without a court, supervisors and ops
# work across courts (a province-level centre).
COURT_READERS = frozenset({JUDGE, CLERK, SUPERVISOR, OPS})
CROSS_COURT_ROLES = frozenset({SUPERVISOR, OPS})

bearer = HTTPBearer(
    auto_error=False,
    description="A token from `songda token create`, or a JWT of the court's OIDC provider.",
)


def hash_token(token: str) -> str:
    """Returns the SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def as_utc(moment: datetime) -> datetime:
    """Returns moment as aware UTC (SQLite hands back naive datetimes)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def token_is_live(token: ApiToken, now: datetime | None = None) -> bool:
    """Tells whether a token is neither revoked nor expired."""
    current = now or datetime.now(UTC)
    if token.revoked_at is not None:
        return False
    return token.expires_at is None or as_utc(token.expires_at) > current


def user_for_token(*, session: Session, token: str) -> User | None:
    """Returns the user a live token belongs to, or None."""
    row = _live_token(session, hash_token(token))
    return row.user if row is not None else None


def _live_token(session: Session, token_sha256: str) -> ApiToken | None:
    query = select(ApiToken).where(ApiToken.token_sha256 == token_sha256)
    row = session.scalar(query.options(joinedload(ApiToken.user)))
    if row is None or not token_is_live(row) or row.user.disabled_at is not None:
        return None
    return row


def _user_for_bearer(request: Request, token: str) -> User | None:
    # A case system's token is cached for a few seconds (api/access/token_cache.py says how a
    # revocation reaches the cache); every other look-up goes to the database.
    cache: TokenCache = request.app.state.token_cache
    key = hash_token(token)
    user = cache.get(key)
    if user is not None:
        return user
    generation = cache.generation
    with request.app.state.session_factory() as session:
        row = _live_token(session, key)
    if row is None:
        return None
    expires_at = as_utc(row.expires_at) if row.expires_at is not None else None
    cache.put(key, row.user, expires_at, generation)
    return row.user


def user_for_subject(*, session: Session, subject: str) -> User | None:
    """Returns the active user mapped to an identity provider's subject, or None."""
    user = session.scalar(select(User).where(User.oidc_subject == subject))
    return user if user is not None and user.disabled_at is None else None


def _user_for_jwt(request: Request, session: Session, token: str) -> User | None:
    # Users are never created from a token: the subject must be mapped beforehand.
    verifier = verifier_for(request.app.state, request.app.state.settings)
    subject = verifier.subject(token) if verifier is not None else None
    return user_for_subject(session=session, subject=subject) if subject else None


def _unauthorized() -> HTTPException:
    return HTTPException(
        status_code=401,
        detail="a valid bearer token is required (songda token create NAME)",
        headers={"WWW-Authenticate": "Bearer"},
    )


def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """Returns the caller authenticated by its bearer token or OIDC JWT; 401 otherwise."""
    if credentials is None or not credentials.credentials:
        raise _unauthorized()
    token = credentials.credentials
    if looks_like_jwt(token):
        with request.app.state.session_factory() as session:
            user = _user_for_jwt(request, session, token)
    else:
        user = _user_for_bearer(request, token)
    if user is None:
        raise _unauthorized()
    return user


def require_roles(*roles: str) -> Callable[[Request, User], User]:
    """Returns a dependency that lets only the given roles through (403 otherwise)."""
    allowed = frozenset(roles)

    def check(request: Request, user: Annotated[User, Depends(current_user)]) -> User:
        if user.role not in allowed:
            _audit_refusal(request, user)
            raise HTTPException(status_code=403, detail="your role may not do this")
        return user

    return check


def _audit_refusal(request: Request, user: User) -> None:
    # MLPS level 3 asks for access violations in the audit: who tried what, never the body.
    with request.app.state.session_factory() as session:
        target = f"{request.method} {request.url.path}"[:200]
        audit_user_action(session, user, action="auth.denied", target=target, outcome="denied")
        session.commit()


def may_read_court(user: User, court_code: str) -> bool:
    """Tells whether court staff may see the requests of a court."""
    if user.role not in COURT_READERS:
        return False
    if user.court_code is None:
        return user.role in CROSS_COURT_ROLES
    return user.court_code == court_code


def may_read_request(user: User, *, client_id: str, court_code: str) -> bool:
    """Tells whether the caller submitted the request or is staff of its court."""
    return user.id == client_id or may_read_court(user, court_code)

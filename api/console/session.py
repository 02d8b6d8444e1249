"""Console sessions: a cookie whose SHA-256 names a login_sessions row, idle timeout, CSRF."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from fastapi import Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.access.auth import as_utc
from api.audit.context import audit_user_action
from domain.settings import Settings
from domain.tables.core import User
from domain.tables.trust import LoginSession, SecurityPolicy

COOKIE = "songda_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class LoginRequired(Exception):
    """No live session: the handler redirects (303) to the login page."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("login required")
        self.expired = expired


class RoleRefused(Exception):
    """The user's role may not open this page: the handler answers a 403 page."""


class CsrfRefused(Exception):
    """A form came without this session's CSRF token: the handler answers a 403 page."""


def digest(token: str) -> str:
    """Returns the SHA-256 hex digest under which a session token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def source_of(request: Request) -> str | None:
    """Returns the caller's address for the audit trail."""
    return request.client.host if request.client else None


def open_session(
    session: Session, *, user: User, settings: Settings, source: str | None
) -> tuple[str, str]:
    """Stores a new login session (audited) and returns its cookie token and CSRF token."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    session.add(
        LoginSession(
            token_sha256=digest(token),
            user_id=user.id,
            csrf_token=csrf,
            source_address=source,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_max_hours),
        )
    )
    session.commit()  # api.access.accounts.authenticate has audited the login itself
    return token, csrf


def close_session(session: Session, *, token: str, source: str | None) -> None:
    """Revokes the session of a cookie token (audited); unknown tokens are ignored."""
    row = session.get(LoginSession, digest(token))
    if row is None or row.revoked_at is not None:
        return
    row.revoked_at = datetime.now(UTC)
    user = session.get(User, row.user_id)
    if user is not None:
        _audit(session, user, "console.logout")
    session.commit()


def set_cookie(response: Response, token: str, settings: Settings) -> None:
    """Sets the session cookie: HttpOnly, SameSite=Strict, and Secure unless in development
    (plain http on loopback) without SONGDA_SESSION_COOKIE_SECURE."""
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=settings.session_cookie_secure or not settings.development,
        path="/",
    )


def idle_minutes(session: Session, settings: Settings) -> int:
    """Returns the idle timeout: the security administrator's policy, else the setting."""
    stored = session.get(SecurityPolicy, "session_idle_minutes")
    if stored is not None and isinstance(stored.value, int) and not isinstance(stored.value, bool):
        return stored.value
    return settings.session_idle_minutes


def live_session(
    session: Session, *, token: str, settings: Settings
) -> tuple[User, LoginSession] | None:
    """Returns the user and row of a live session, touching it; revokes it when idle too long."""
    row = session.get(LoginSession, digest(token))
    if row is None or row.revoked_at is not None:
        return None
    now = datetime.now(UTC)
    idle = timedelta(minutes=idle_minutes(session, settings))
    if as_utc(row.expires_at) <= now or as_utc(row.last_seen_at) + idle <= now:
        row.revoked_at = now
        session.commit()
        raise LoginRequired(expired=True)
    user = session.get(User, row.user_id)
    if user is None or user.disabled_at is not None:
        return None
    row.last_seen_at = now
    session.commit()
    return user, row


def _lookup(request: Request, token: str) -> tuple[User, str] | None:
    settings: Settings = request.app.state.settings
    with request.app.state.session_factory() as session:
        found = live_session(session, token=token, settings=settings)
        return (found[0], found[1].csrf_token) if found else None


def console_user(*roles: str) -> Callable[[Request], Awaitable[User]]:
    """Returns a dependency giving the logged-in user of one of `roles` (all roles if none).

    No session: 303 to /console/login. Wrong role: a 403 page. A POST without the session's
    CSRF token (form field csrf_token or header X-CSRF-Token): a 403 page.
    """
    allowed = frozenset(roles)

    async def dependency(request: Request) -> User:
        token = request.cookies.get(COOKIE)
        if not token:
            raise LoginRequired()
        found = await run_in_threadpool(_lookup, request, token)
        if found is None:
            raise LoginRequired()
        user, csrf = found
        request.state.console_user = user
        request.state.csrf_token = csrf
        if allowed and user.role not in allowed:
            raise RoleRefused()
        if request.method == "POST" and not await _csrf_ok(request, csrf):
            raise CsrfRefused()
        return user

    return dependency


async def _csrf_ok(request: Request, expected: str) -> bool:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    return sent is not None and secrets.compare_digest(sent, expected)


def audit_view(request: Request, session: Session, *, action: str, target: str) -> None:
    """Records that the console user viewed full personal data (the caller commits)."""
    user: User = request.state.console_user
    audit_user_action(session, user, action=action, target=target)


def _audit(session: Session, user: User, action: str) -> None:
    audit_user_action(session, user, action=action, target=f"user:{user.id}")

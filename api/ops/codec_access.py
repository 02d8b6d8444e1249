"""Who may use the codec endpoint: a token or console session of a reader, or the local UI.

In development (SONGDA_ENV=development) the dev server's UI on this machine has no login and so
no token; a call from a loopback address, from no origin or a loopback origin, is let through as
the local Temporal UI and audited as such. Everywhere else the caller is a songda user: a bearer
token or OIDC JWT (`Authorization`), or the console's session cookie sent by the UI with CORS
credentials (TEMPORAL_CODEC_INCLUDE_CREDENTIALS), and its role decides.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from ipaddress import ip_address
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials
from starlette.concurrency import run_in_threadpool

from api.access.auth import OPS, SUPERVISOR, current_user, require_roles
from api.console.session import COOKIE, LoginRequired, live_session
from domain.settings import Settings
from domain.tables.core import User

LOCAL_UI = "temporal-ui-local"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def _loopback(host: str | None) -> bool:
    if not host:
        return False
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def is_local_ui(request: Request) -> bool:
    """Tells whether the caller is this machine's Temporal UI in a development deployment."""
    settings: Settings = request.app.state.settings
    if not settings.development:
        return False
    if not _loopback(request.client.host if request.client else None):
        return False
    origin = request.headers.get("origin")
    return origin is None or _loopback(urlsplit(origin).hostname)


def _local_ui_user() -> User:
    # Never stored: it names the caller in the audit entry of each codec call.
    return User(name=LOCAL_UI, role=OPS, court_code=None)


def _cookie_user(request: Request) -> User | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    with request.app.state.session_factory() as session:
        try:
            found = live_session(session, token=token, settings=request.app.state.settings)
        except LoginRequired:
            return None
        if found is None:
            return None
        user = found[0]
        # A detached copy: the session's commit expired the row it loaded.
        return User(id=user.id, name=user.name, role=user.role, court_code=user.court_code)


def codec_user(*roles: str) -> Callable[[Request], Awaitable[User]]:
    """Returns a dependency giving the codec's caller: local UI, token or console session."""
    allowed = frozenset(roles)
    by_token = require_roles(*roles)

    async def dependency(request: Request) -> User:
        if is_local_ui(request):
            return _local_ui_user()
        if "authorization" not in request.headers:
            user = await run_in_threadpool(_cookie_user, request)
            if user is None:
                raise HTTPException(status_code=401, detail="log in: a token or console session")
            if user.role not in allowed:
                raise HTTPException(status_code=403, detail="your role may not do this")
            return user
        credentials = request.headers["authorization"].partition(" ")[2]
        user = await run_in_threadpool(_bearer_user, request, credentials)
        return by_token(request, user)

    return dependency


def _bearer_user(request: Request, token: str) -> User:
    return current_user(request, HTTPAuthorizationCredentials(scheme="Bearer", credentials=token))


def court_namespace(court_code: str) -> str:
    """Returns the Temporal namespace that holds one court's workflows only."""
    return f"songda-{court_code.lower()}"


def in_court(*roles: str) -> Callable[[Request], Awaitable[User]]:
    """Returns codec_user(roles) that also lets court-bound staff into their court's
    namespace only: a shared namespace holds every court's workflows."""
    who = codec_user(*roles)

    async def dependency(request: Request) -> User:
        user = await who(request)
        namespace = request.headers.get("X-Namespace", "default")
        if user.court_code is not None and namespace != court_namespace(user.court_code):
            raise HTTPException(
                status_code=403,
                detail="staff of one court read only its namespace "
                f"({court_namespace(user.court_code)}); use the console for the rest",
            )
        return user

    return dependency


# Payloads are court data: ops and supervisors, never auditors (they read the audit).
CodecReader = Annotated[User, Depends(in_court(OPS, SUPERVISOR))]
CodecWriter = Annotated[User, Depends(in_court(OPS, SUPERVISOR))]

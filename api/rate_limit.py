"""Rate limits on the endpoints anyone may call without a token: the console's login (argon2
and an audit row per try) and the providers' webhooks (an HMAC and a lookup per call).

Counts are rows of `rate_counters` (domain/store/limits.py), so every API process shares them.
The client address is the connection's, which uvicorn takes from X-Forwarded-For only when the
connection comes from a trusted proxy (FORWARDED_ALLOW_IPS).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from domain.store import limits

WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class RateLimits:
    """Calls a minute per client address (app.state.rate_limits; tests may lower them)."""

    login_per_minute: int = 10
    webhook_per_minute: int = 600


def _rule(scope: Scope, rates: RateLimits) -> tuple[str, int] | None:
    path, method = scope.get("path", ""), scope.get("method", "")
    if method == "POST" and path == "/console/login":
        return "login", rates.login_per_minute
    if method == "POST" and path.startswith("/v1/providers/"):
        return "webhook", rates.webhook_per_minute
    return None


def _count(factory: sessionmaker[Session], key: str) -> int:
    with factory() as session:
        return limits.hit(session, key, datetime.now(UTC), WINDOW).hits


class RateLimit:
    """Answers 429 (with Retry-After) once an address passes its limit on a limited path."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Counts a limited call before it reaches its route."""
        app = scope.get("app")
        state = getattr(app, "state", None)
        rule = _rule(scope, getattr(state, "rate_limits", RateLimits()))
        factory = getattr(state, "session_factory", None)
        if scope["type"] != "http" or rule is None or factory is None:
            await self.app(scope, receive, send)
            return
        kind, limit = rule
        address = (scope.get("client") or ("unknown", 0))[0]
        if await run_in_threadpool(_count, factory, f"{kind}:{address}") <= limit:
            await self.app(scope, receive, send)
            return
        body = json.dumps({"detail": f"too many {kind} attempts from this address: wait a minute"})
        headers = [(b"content-type", b"application/json"), (b"retry-after", b"60")]
        await send({"type": "http.response.start", "status": 429, "headers": headers})
        await send({"type": "http.response.body", "body": body.encode()})

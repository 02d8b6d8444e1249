"""Request bodies bounded before they are read: 413 by Content-Length, or while counting a stream.

Every app (the API with its console, the portal) wraps itself in BodyLimit with a limit per
route: a declared Content-Length over the limit is refused before the app runs; a chunked body
is counted as it is received and refused at the first byte over, so nobody can make a process
parse (or spool to disk) gigabytes. Routes that take uploads can also insist on credentials
first: without an Authorization header or a session cookie they answer 401 unread.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import PROBLEM, problem
from domain.settings import Settings

MIB = 1024 * 1024
CODEC_BYTES = 16 * MIB  # the Temporal UI decodes a whole history's payloads at once
MULTIPART_OVERHEAD = 64 * 1024  # boundaries and the form's small fields around a file


def too_large(limit: int) -> str:
    """Returns the 413's message."""
    return f"the request body is over the {limit}-byte limit of this route"


@dataclass(frozen=True)
class Limit:
    """The largest body a route takes, by path pattern (and method, or any)."""

    pattern: str
    max_bytes: int
    credentials_first: bool = False
    method: str = "POST"

    def matches(self, method: str, path: str) -> bool:
        """Tells whether this limit applies to a request."""
        return method in (self.method, "*") and re.fullmatch(self.pattern, path) is not None


def api_limits(settings: Settings) -> list[Limit]:
    """Returns the intranet API's limits (its console included), most specific first."""
    evidence = max(settings.evidence_limits.values()) + MULTIPART_OVERHEAD
    return [
        Limit(r"/v1/service-requests", settings.max_submission_bytes),
        Limit(r"/v1/work-orders/[^/]+/evidence", evidence, credentials_first=True),
        Limit(r"/v1/providers/[^/]+/events", settings.max_webhook_bytes),
        Limit(r"/codec/.*", max(CODEC_BYTES, settings.max_body_bytes)),
        # The console's upload routes read their form after the session check (a redirect to
        # the login page without one), so they need only their size limits here.
        Limit(r"/console/judge/new", settings.max_submission_bytes),
        Limit(r"/console/clerk/orders/[^/]+/evidence", evidence),
        Limit(r"/console/.*", settings.max_form_bytes),
    ]


def portal_limits(settings: Settings) -> list[Limit]:
    """Returns the portal's limits: its forms are a name, an ID tail or a code."""
    return [Limit(r"/.*", settings.max_form_bytes)]


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value)
    return None


def _has_credentials(scope: Scope) -> bool:
    if (_header(scope, b"authorization") or b"").strip():
        return True
    return b"songda_session=" in (_header(scope, b"cookie") or b"")


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps(problem(status, detail), ensure_ascii=False).encode()
    length = str(len(body)).encode()
    headers = [(b"content-type", PROBLEM.encode()), (b"content-length", length)]
    # The rest of the body is never read: ask the client to stop sending on this connection.
    headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """ASGI middleware: refuses bodies over their route's limit before the app reads them."""

    def __init__(self, app: ASGIApp, limits: Sequence[Limit], default: int) -> None:
        self.app = app
        self.limits = list(limits)
        self.default = default

    def limit_for(self, method: str, path: str) -> Limit:
        """Returns the limit of a request: its route's, else the default."""
        found = next((lim for lim in self.limits if lim.matches(method, path)), None)
        return found or Limit(".*", self.default, method="*")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Checks the declared length and the credentials, then counts what is received."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit.max_bytes):
            await _refuse(send, 413, too_large(limit.max_bytes))
            return
        if limit.credentials_first and not _has_credentials(scope):
            await _refuse(send, 401, "not authenticated: credentials come before an upload")
            return
        await self._counted(scope, receive, send, limit.max_bytes)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, max_bytes: int) -> None:
        received, started, refused = 0, False, False

        async def counted() -> Message:
            # Over the limit, the 413 goes out at once and the app is told the client left: an
            # exception here would reach the app wrapped (task groups) and come back as a 400.
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    refused = True
                    if not started:
                        await _refuse(send, 413, too_large(max_bytes))
                    return {"type": "http.disconnect"}
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 is the answer; whatever the app says after it is dropped
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except Exception:
            if not refused:
                raise

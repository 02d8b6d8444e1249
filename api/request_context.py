"""Request ids: every HTTP request carries one in its logs, its audit entries and its answer."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

import structlog
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-request-id"
# A caller's id is kept only when it is short and plain, so it cannot smuggle data into logs.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# The request id and caller address, for audit entries written deep in service functions; kept
# out of the log context because a caller's address does not belong in every log line.
current_origin: ContextVar[tuple[str | None, str | None]] = ContextVar(
    "songda_request_origin", default=(None, None)
)


def _incoming_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == HEADER.encode():
            candidate: str = value.decode("latin-1").strip()
            if _ACCEPTABLE.match(candidate):
                return candidate
    return uuid.uuid4().hex


class RequestContextMiddleware:
    """Binds the request id (X-Request-ID or a new one) to structlog and echoes it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Runs one request with its id bound to the log context."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        client = scope.get("client")
        token = current_origin.set((request_id, client[0] if client else None))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            with structlog.contextvars.bound_contextvars(request_id=request_id):
                await self.app(scope, receive, send_with_id)
        finally:
            current_origin.reset(token)


def request_id_of(request: Request) -> str | None:
    """Returns the id the middleware gave this request, if it ran."""
    value = getattr(request.state, "request_id", None)
    return value if isinstance(value, str) else None


def source_address_of(request: Request) -> str | None:
    """Returns the caller's address as the server saw it."""
    return request.client.host if request.client else None

"""Input no database column can hold: NUL characters, refused as 422 instead of failing as 500.

PostgreSQL text cannot contain NUL (0x00). The fuzz run found a `%00` in a query parameter
reaching a query and failing with a 500; a NUL in the path or the query string is now refused
before any route runs, and a NUL that reaches the database inside a body ends as a 422 (the
transaction is rolled back) rather than an internal error.
"""

from __future__ import annotations

import json
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import PROBLEM, problem, problem_response

NUL_MESSAGE = "a value contains a NUL character (0x00), which cannot be stored"
UNSTORABLE = "a value cannot be stored as given (a NUL character, or a number or date out of range)"


def _has_nul(scope: Scope) -> bool:
    raw_path = scope.get("raw_path") or scope.get("path", "").encode()
    query = scope.get("query_string", b"")
    return b"\x00" in unquote_to_bytes(raw_path) or b"\x00" in unquote_to_bytes(query)


class RefuseNul:
    """ASGI middleware: a NUL in the path or the query string is a 422 before any route runs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuses the request or passes it on untouched."""
        if scope["type"] != "http" or not _has_nul(scope):
            await self.app(scope, receive, send)
            return
        body = json.dumps(problem(422, NUL_MESSAGE), ensure_ascii=False).encode()
        headers = [
            (b"content-type", PROBLEM.encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 422, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def _data_error(_request: Request, _exc: Exception) -> JSONResponse:
    # The database refused a value the validation let through; nothing was committed.
    return problem_response(422, UNSTORABLE)


def install_input_guards(app: FastAPI) -> None:
    """Adds the NUL guard and maps the database's refusal of a value to a 422."""
    app.add_middleware(RefuseNul)
    app.add_exception_handler(DataError, _data_error)

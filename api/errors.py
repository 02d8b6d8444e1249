"""Errors the services raise and the one handler that turns them into HTTP answers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

Loc = tuple[str | int, ...]


class ApiError(Exception):
    """An error with an HTTP status and a message fit for the caller (no personal data)."""

    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(ApiError):
    """The object does not exist, or the caller may not see it."""

    status_code = 404


class Forbidden(ApiError):
    """The caller's role or court does not allow this."""

    status_code = 403


class Conflict(ApiError):
    """The object's state does not allow this now."""

    status_code = 409


class Unavailable(ApiError):
    """Temporal or the database cannot be reached; the caller may retry."""

    status_code = 503


class Invalid(ApiError):
    """The input was refused; carries one message per field path."""

    status_code = 422

    def __init__(self, errors: Sequence[tuple[Loc, str]]) -> None:
        super().__init__("the input was refused")
        self.errors = list(errors)


def field_name(loc: Loc) -> str:
    """Returns a readable field path such as parties[0].phones[1] (the "body" prefix dropped)."""
    parts = list(loc[1:] if loc and loc[0] == "body" else loc)
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "body"


def error_items(errors: Iterable[tuple[Loc, str, str]]) -> list[dict[str, Any]]:
    """Returns one entry per field path: loc, field, msg and type, never the refused value."""
    seen: set[Loc] = set()
    items: list[dict[str, Any]] = []
    for loc, msg, kind in errors:
        if loc in seen:
            continue
        seen.add(loc)
        items.append({"loc": list(loc), "field": field_name(loc), "msg": msg, "type": kind})
    return items


def pydantic_items(errors: Sequence[Any], prefix: Loc = ()) -> list[dict[str, Any]]:
    """Converts pydantic errors, dropping `input` and `ctx` so no value is echoed."""
    triples = []
    for err in errors:
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        triples.append((prefix + tuple(err.get("loc", ())), msg, str(err.get("type", ""))))
    return error_items(triples)


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    if isinstance(exc, Invalid):
        items = error_items((loc, msg, "value_error") for loc, msg in exc.errors)
        return JSONResponse({"detail": items}, status_code=exc.status_code)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": pydantic_items(exc.errors())}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    """Registers the handlers for service errors and request validation errors."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)

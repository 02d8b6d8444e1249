"""Errors the services raise and the one handler that turns them into HTTP answers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.fields import UNION_TAGS
from api.openapi import add_examples

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
        loc = tuple(part for part in err.get("loc", ()) if part not in UNION_TAGS)
        triples.append((prefix + loc, msg, str(err.get("type", ""))))
    return error_items(triples)


# RFC 9457: `title` is for people (Chinese), `detail` for machines (English, stable).
TITLES = {
    400: "请求有误",
    401: "需要登录或令牌无效",
    403: "无权进行此操作",
    404: "未找到",
    405: "不支持该请求方法",
    409: "当前状态不允许此操作",
    413: "请求内容过大",
    415: "不支持的内容类型",
    422: "输入有误",
    429: "请求过于频繁",
    500: "服务器内部错误",
    503: "服务暂时不可用，请稍后重试",
}
PROBLEM = "application/problem+json"


def problem(status: int, detail: Any, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Returns the RFC 9457 body: type, title (Chinese), status, detail (English), errors."""
    body: dict[str, Any] = {
        "type": f"/problems/{status}",
        "title": TITLES.get(status, "请求未能完成"),
        "status": status,
        # A 422 keeps its list of field errors in `detail`, as clients read it before.
        "detail": errors if errors is not None else detail,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def problem_response(
    status: int,
    detail: Any,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Returns the problem as application/problem+json."""
    return JSONResponse(
        problem(status, detail, errors), status_code=status, headers=headers, media_type=PROBLEM
    )  # fmt: skip


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    if isinstance(exc, Invalid):
        items = error_items((loc, msg, "value_error") for loc, msg in exc.errors)
        return problem_response(exc.status_code, exc.detail, items)
    return problem_response(exc.status_code, exc.detail)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return problem_response(422, "the input was refused", pydantic_items(exc.errors()))


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return problem_response(exc.status_code, exc.detail, headers=getattr(exc, "headers", None))


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details; `title` in Chinese, `detail` in English.",
    "properties": {
        "type": {"type": "string", "example": "/problems/404"},
        "title": {"type": "string", "example": "未找到"},
        "status": {"type": "integer", "example": 404},
        "detail": {"description": "English; for 422 the list of field errors"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["type", "title", "status", "detail"],
}


def _with_problems(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    ref = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            answers = operation.setdefault("responses", {})
            for status in ("401", "403", "404", "422"):
                answers.setdefault(status, {"description": TITLES[int(status)]})
                answers[status]["content"] = ref
    add_examples(schema)
    app.openapi_schema = schema
    return schema


def install_error_handlers(app: FastAPI) -> None:
    """Registers the problem+json handlers and documents the shape in the OpenAPI."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.openapi = lambda: _with_problems(app)  # type: ignore[method-assign]

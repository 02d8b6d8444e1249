"""Every console page needs a session: without one, GET and POST go to the login page."""

from __future__ import annotations

import re
from collections.abc import Iterator

from fastapi import FastAPI
from fastapi.testclient import TestClient

OPEN = {"/console/login"}


def _contexts(routes: list[object]) -> Iterator[object]:
    for route in routes:
        # FastAPI 0.16x keeps included routers as branches; older versions flatten them.
        nested = getattr(route, "effective_route_contexts", None)
        yield from nested() if nested is not None else [route]


def _pages(app: FastAPI) -> list[tuple[str, str]]:
    pages = []
    for route in _contexts(list(app.routes)):
        path, methods = getattr(route, "path", ""), getattr(route, "methods", None) or set()
        if path.startswith("/console") and path not in OPEN and hasattr(route, "endpoint"):
            path = re.sub(r"\{[^}]+\}", "x", path)
            pages += [(m, path) for m in sorted(methods) if m in ("GET", "POST")]
    return pages


def test_every_console_page_needs_a_session(app_client: TestClient) -> None:
    pages = _pages(app_client.app)  # type: ignore[arg-type]
    assert ("GET", "/console/clerk/orders/x") in pages and ("POST", "/console/logout") in pages
    for method, path in pages:
        answer = app_client.request(method, path)
        assert answer.status_code == 303, (method, path, answer.status_code)
        assert answer.headers["location"].startswith("/console/login"), (method, path)


def test_pages_are_not_cached_or_framed(app_client: TestClient) -> None:
    page = app_client.get("/console/login")
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-frame-options"] == "DENY"

"""The console's Jinja2 environment and `render`, which adds the user, its menu and CSRF token."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.access.auth import as_utc

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
BEIJING = ZoneInfo("Asia/Shanghai")

# The menu of each role: (label, href). Other pages add theirs with `add_navigation`.
NAVIGATION: dict[str, list[tuple[str, str]]] = {
    "judge": [("提交送达", "/console/judge/new"), ("我的案件", "/console/judge/cases")],
    "clerk": [("我的工单", "/console/clerk/queue")],
    "supervisor": [
        ("队列总览", "/console/supervisor/queues"),
        ("超期工单", "/console/supervisor/overdue"),
    ],
}

ROLE_LABELS = {
    "case_system": "案件系统",
    "judge": "法官",
    "clerk": "送达员",
    "supervisor": "主管",
    "ops": "运维",
    "auditor": "审计员",
    "sysadmin": "系统管理员",
    "secadmin": "安全管理员",
    "auditadmin": "审计管理员",
}


def add_navigation(role: str, label: str, href: str) -> None:
    """Adds a menu entry for a role (idempotent), for pages other modules contribute."""
    entries = NAVIGATION.setdefault(role, [])
    if (label, href) not in entries:
        entries.append((label, href))


def home_for(role: str) -> str:
    """Returns the first page of a role's menu, or the console's start page."""
    entries = NAVIGATION.get(role)
    return entries[0][1] if entries else "/console/"


def beijing(moment: datetime | None) -> str:
    """Formats a time as Beijing wall-clock time, e.g. 2026-11-28 14:05."""
    if moment is None:
        return "—"
    return f"{as_utc(moment).astimezone(BEIJING):%Y-%m-%d %H:%M}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["beijing"] = beijing
    env.globals["role_labels"] = ROLE_LABELS
    return env


templates = Jinja2Templates(env=_environment())


def add_template_folder(folder: Path) -> None:
    """Lets another package's templates be rendered by `render` (they extend base.html)."""
    loader = templates.env.loader
    assert isinstance(loader, jinja2.FileSystemLoader)
    if str(folder) not in loader.searchpath:
        loader.searchpath.append(str(folder))


def render(request: Request, name: str, /, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Renders a console page with the user, its role's menu and the session's CSRF token."""
    user = getattr(request.state, "console_user", None)
    role = user.role if user is not None else ""
    context.setdefault("title", "送达平台")
    context.update(
        user=user,
        navigation=NAVIGATION.get(role, []),
        csrf_token=getattr(request.state, "csrf_token", ""),
        current_path=request.url.path,
    )
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    # Pages hold personal data: never cached, never framed (clickjacking), no type sniffing.
    response.headers.update(
        {
            "Cache-Control": "no-store",
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
        }
    )
    return response

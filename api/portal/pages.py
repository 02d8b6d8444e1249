"""Server-rendered pages of the portal: the Jinja2 environment, page errors, Beijing times."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.portal.records import aware

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
BEIJING = ZoneInfo("Asia/Shanghai")
HOTLINE = "12368"


def beijing(moment: datetime) -> str:
    """Formats a time as Beijing wall-clock time, e.g. 2026年11月28日 14:05."""
    local = aware(moment).astimezone(BEIJING)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def size_label(count: int) -> str:
    """Formats a byte count for people (KB, MB)."""
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    return f"{max(1, round(count / 1024))} KB"


def format_label(media_type: str) -> str:
    """Names a file format for people: PDF 文件, DOCX 文件…"""
    subtype = media_type.partition("/")[2].split(";")[0].strip()
    known = {"pdf": "PDF", "msword": "DOC", "jpeg": "JPEG", "png": "PNG", "plain": "TXT"}
    if subtype.startswith("vnd.openxmlformats-officedocument.wordprocessingml"):
        subtype = "docx"
    return f"{known.get(subtype, subtype.upper())} 文件" if subtype else "文件"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["beijing"] = beijing
    env.filters["size"] = size_label
    env.filters["format"] = format_label
    env.globals["hotline"] = HOTLINE
    return env


templates = Jinja2Templates(env=_environment())


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """Renders a template into an HTML response."""
    return templates.TemplateResponse(request, name, context, status_code=status)


class PageError(Exception):
    """Ends a request with an error page: a status, a title and what the person can do."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.message = message


def error_page(request: Request, error: PageError) -> HTMLResponse:
    """Renders a PageError."""
    context = {"title": error.title, "message": error.message, "status": error.status}
    return render(request, "error.html", context, error.status)


NOT_FOUND = PageError(
    404,
    "链接无效",
    "未找到该送达链接。请核对短信或邮件中的链接是否完整；如有疑问，请拨打 12368 向法院核实。",
)


def gone(expires_at: datetime) -> PageError:
    """Returns the page of an expired link."""
    return PageError(
        410,
        "链接已过期",
        f"该送达链接已于 {beijing(expires_at)}（北京时间）过期。请拨打 12368 联系法院。",
    )


def locked(until: datetime) -> PageError:
    """Returns the page of a link locked after too many failed checks."""
    return PageError(
        423,
        "链接已暂时锁定",
        f"身份核验失败次数过多，为保护您的信息，该链接已锁定至 {beijing(until)}（北京时间）。"
        "届时可再次尝试；如需帮助，请拨打 12368 联系法院。",
    )


TOO_MANY = PageError(429, "操作过于频繁", "您的尝试次数过多，请一分钟后再试。")

"""The auditor's console page: search the audit (times in UTC+8) and verify the chain."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from api.access.auth import as_utc
from api.audit import service as audit_service
from api.audit.bodies import AuditEntryOut, AuditPageOut, ChainReportOut
from api.audit.service import BEIJING, AuditQuery
from api.console.session import console_user
from api.console.templating import add_navigation, render
from api.deps import AUDIT_READERS
from domain.tables.core import User

router = APIRouter(prefix="/audit")
Auditor = Annotated[User, Depends(console_user(*sorted(AUDIT_READERS)))]
FIELDS = ("actor", "action", "target", "from", "to")
PAGE_SIZE = 50

for _role in sorted(AUDIT_READERS):
    add_navigation(_role, "审计日志", "/console/audit")


def _day(text: str, errors: dict[str, str], name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = "请使用日期格式 2026-11-28"
        return None


def _query(values: dict[str, str], before: int | None, errors: dict[str, str]) -> AuditQuery:
    # Dates are Beijing calendar days; the end day is included.
    since, until = _day(values["from"], errors, "from"), _day(values["to"], errors, "to")
    return AuditQuery(
        actor=values["actor"] or None,
        action=values["action"] or None,
        target=values["target"] or None,
        since=datetime.combine(since, time(), BEIJING) if since else None,
        until=datetime.combine(until + timedelta(days=1), time(), BEIJING) if until else None,
        limit=PAGE_SIZE,
        before=before,
    )


def _row(item: AuditEntryOut) -> dict[str, Any]:
    return {**item.model_dump(), "at": f"{as_utc(item.at).astimezone(BEIJING):%Y-%m-%d %H:%M:%S}"}


def _run(
    session: Session, user: User, query: AuditQuery, verify: bool
) -> tuple[AuditPageOut, ChainReportOut | None]:
    report = audit_service.verify(session=session, user=user) if verify else None
    return audit_service.search(session=session, user=user, query=query), report


@router.get("", response_class=HTMLResponse)
def audit_page(
    request: Request, user: Auditor, before: int | None = None, verify: bool = False
) -> Response:
    """Shows the search form, the newest matching entries and, when asked, the chain's check."""
    values = {name: request.query_params.get(name, "").strip()[:100] for name in FIELDS}
    errors: dict[str, str] = {}
    query = _query(values, before, errors)
    with request.app.state.session_factory() as session:
        page, report = _run(session, user, query, verify)
    more = None
    if page.next_before is not None:
        more = "/console/audit?" + urlencode({**values, "before": page.next_before})
    return render(
        request, "audit.html", title="审计日志", values=values, errors=errors,
        rows=[_row(item) for item in page.items], more=more, report=report,
        verify_href="/console/audit?" + urlencode({**values, "verify": "1"}),
    )  # fmt: skip

"""The dashboard: the centre's figures with charts, exportable to CSV and XLSX."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.access.auth import CROSS_COURT_ROLES, JUDGE, OPS, SUPERVISOR
from api.console import charts
from api.console.session import console_user
from api.console.templating import add_navigation, render
from api.stats.export import to_csv, to_xlsx
from api.stats.service import DEPARTMENTS, PERIODS, StatsFilter, StatsOut, compute_stats
from domain.tables.core import User

router = APIRouter(prefix="/dashboard")
Reader = Annotated[User, Depends(console_user(SUPERVISOR, OPS, JUDGE))]
FIELDS = ("from", "to", "court", "department", "judge", "channel", "period")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
METHOD_LABELS = {"electronic": "电子送达", "phone": "电话", "mail": "邮寄", "direct": "直接送达",
                 "public_notice": "公告送达"}  # fmt: skip

for _role in (SUPERVISOR, OPS, JUDGE):
    add_navigation(_role, "统计看板", "/console/dashboard")


def _day(text: str, errors: dict[str, str], name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = "请使用日期格式 2026-11-28"
        return None


def _values(request: Request) -> dict[str, str]:
    values = {name: request.query_params.get(name, "").strip() for name in FIELDS}
    if values["period"] not in PERIODS:
        values["period"] = "month"
    return values


def _filter(user: User, values: dict[str, str], errors: dict[str, str]) -> StatsFilter:
    # Staff bound to a court (judges, and supervisors or ops with a court) see that court only,
    # whatever the form says; only cross-court supervisors and ops choose.
    court = values["court"] or None
    if user.role not in CROSS_COURT_ROLES or user.court_code is not None:
        court = user.court_code
    return StatsFilter(
        date_from=_day(values["from"], errors, "from") or date.today() - timedelta(days=365),
        date_to=_day(values["to"], errors, "to"),
        court=court,
        department=values["department"] or None,
        judge=values["judge"] or None,
        channel=values["channel"] or None,
    )


def _figures(request: Request, f: StatsFilter, period: str) -> StatsOut:
    max_age = request.app.state.settings.stats_max_age_seconds
    with request.app.state.session_factory() as session:
        return compute_stats(session=session, f=f, group_by=period, max_age=max_age)


def _charts(stats: StatsOut) -> dict[str, Any]:
    by_method = [(METHOD_LABELS.get(m, m), float(n)) for m, n in stats.by_method.items()]
    workload: dict[str, float] = {}
    for item in stats.clerk_workload:
        workload[item["closer"]] = workload.get(item["closer"], 0.0) + item["closed"]
    return {
        "completion": charts.columns(
            [(p.period, p.completion_rate) for p in stats.series], "送达完成率", percent=True
        ),
        "electronic": charts.columns(
            [(p.period, p.electronic_share) for p in stats.series], "电子送达占比", percent=True
        ),
        "methods": charts.hbars(by_method, "送达方式"),
        "days": charts.columns(charts.day_buckets(stats.days_to_serve), "送达用时分布"),
        "repair": charts.hbars(
            [("号码修复命中率", stats.repair["hit_rate"])], "号码修复命中率", percent=True
        ),  # fmt: skip
        "workload": charts.hbars(sorted(workload.items(), key=lambda kv: -kv[1]), "送达员工作量"),
    }


@router.get("", response_class=HTMLResponse)
def dashboard(request: Request, user: Reader) -> Response:
    """Shows the figures and charts for the chosen period, court, department, judge, channel."""
    values, errors = _values(request), dict[str, str]()
    f = _filter(user, values, errors)
    stats = _figures(request, f, values["period"])
    query = urlencode({k: v for k, v in values.items() if v})
    return render(
        request, "dashboard.html", 422 if errors else 200, title="统计看板", stats=stats,
        values=values, errors=errors, charts=_charts(stats), departments=sorted(DEPARTMENTS),
        methods=METHOD_LABELS, export_query=query,
    )  # fmt: skip


@router.get("/export.{fmt}")
def export(request: Request, user: Reader, fmt: str) -> Response:
    """Downloads the same figures as CSV or XLSX."""
    values, errors = _values(request), dict[str, str]()
    stats = _figures(request, _filter(user, values, errors), values["period"])
    disposition = {"Content-Disposition": f'attachment; filename="songda-stats.{fmt}"'}
    if fmt == "xlsx":
        return Response(to_xlsx(stats), media_type=XLSX, headers=disposition)
    if fmt == "csv":
        return Response(to_csv(stats), media_type="text/csv; charset=utf-8", headers=disposition)
    return Response("csv or xlsx", status_code=404)

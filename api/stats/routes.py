"""Routes of the centre's figures: JSON, CSV and XLSX."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Response

from api.access.auth import CROSS_COURT_ROLES
from api.deps import SessionDep, SettingsDep, StatsReader
from api.stats.export import to_csv, to_xlsx
from api.stats.service import StatsFilter, StatsOut, compute_stats

router = APIRouter(prefix="/v1/stats", tags=["stats"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def stats_filter(
    user: StatsReader,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    court: str | None = None,
    department: str | None = None,
    judge: str | None = None,
    channel: str | None = None,
) -> StatsFilter:
    """Reads the filters; a caller bound to one court sees only that court."""
    # Only supervisors and ops without a court work across courts (api.access.auth.may_read_court).
    if user.court_code is not None:
        court = user.court_code
    elif user.role not in CROSS_COURT_ROLES:
        raise HTTPException(status_code=403, detail="your account is bound to no court")
    return StatsFilter(date_from, date_to, court, department, judge, channel)


FilterDep = Annotated[StatsFilter, Depends(stats_filter)]
GroupBy = Literal["day", "week", "month", "period"]


def _unit(group_by: GroupBy | None, period: str) -> str | None:
    return period if group_by == "period" else group_by


@router.get("", response_model=StatsOut)
def stats(
    f: FilterDep,
    session: SessionDep,
    settings: SettingsDep,
    group_by: GroupBy | None = None,
    period: Literal["day", "week", "month"] = "month",
) -> StatsOut:
    """Returns requests, parties, served, completion rate, electronic share, methods, days."""
    return compute_stats(session=session, f=f, group_by=_unit(group_by, period),
        max_age=settings.stats_max_age_seconds,
    )  # fmt: skip


@router.get("/export", response_class=Response)
def export(
    f: FilterDep,
    session: SessionDep,
    settings: SettingsDep,
    format: Literal["csv", "xlsx"] = "csv",
    period: Literal["day", "week", "month"] = "month",
) -> Response:
    """Returns the figures with a series per period as a CSV or XLSX download."""
    figures = compute_stats(session=session, f=f, group_by=period,
        max_age=settings.stats_max_age_seconds,
    )  # fmt: skip
    if format == "xlsx":
        body: bytes | str = to_xlsx(figures)
        media = XLSX
    else:
        body, media = to_csv(figures), "text/csv; charset=utf-8"
    disposition = f'attachment; filename="songda-stats.{format}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})

"""The centre's figures agree with a known set of requests, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import date

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import delete
from sqlalchemy.orm import Session

from api.stats.rollup import refresh
from api.stats.service import StatsFilter, compute_stats
from domain.tables.core import ServiceTask, utcnow
from domain.tables.ops import StatsRollup
from tests.ops.conftest import headers_for

NOVEMBER = StatsFilter(date_from=date(2026, 11, 1), date_to=date(2026, 11, 30))


def test_november_figures(db: Session, tasks: dict[str, str]) -> None:
    figures = compute_stats(session=db, f=NOVEMBER)
    assert (figures.requests, figures.parties, figures.served) == (4, 7, 4)
    assert figures.completion_rate == round(4 / 7, 4)
    assert figures.electronic_share == 0.5
    assert figures.by_method == {"electronic": 2, "mail": 1, "public_notice": 1}
    assert figures.days_to_serve == {"0": 1, "1": 1, "5": 1, "35": 1}
    assert figures.median_days_to_serve == 3.0
    assert figures.repair == {"queries": 2, "hits": 1, "hit_rate": 0.5}
    assert figures.clerk_workload == [
        {"closer": "clerk-li", "kind": "direct", "closed": 1},
        {"closer": "clerk-li", "kind": "phone", "closed": 1},
        {"closer": "clerk-zhao", "kind": "phone", "closed": 1},
    ]


def test_filters(db: Session, tasks: dict[str, str]) -> None:
    def figures(**kw: str) -> tuple[int, int, int]:
        f = StatsFilter(date(2026, 11, 1), date(2026, 11, 30), **kw)  # type: ignore[arg-type]
        out = compute_stats(session=db, f=f)
        return out.requests, out.parties, out.served

    assert figures(court="J12") == (3, 5, 3)
    assert figures(department="criminal") == (1, 2, 1)
    assert figures(department="civil") == (3, 5, 3)
    assert figures(judge="judge-zhang") == (2, 4, 3)
    assert figures(channel="electronic") == (2, 2, 2)
    everything = compute_stats(session=db, f=StatsFilter())
    assert (everything.requests, everything.parties, everything.served) == (5, 8, 5)


def test_series_by_week_and_month(db: Session, tasks: dict[str, str]) -> None:
    weeks = compute_stats(session=db, f=NOVEMBER, group_by="week").series
    assert [(p.period, p.requests, p.parties, p.served) for p in weeks] == [
        ("2026-10-26", 1, 1, 0),
        ("2026-11-02", 1, 2, 2),
        ("2026-11-09", 1, 2, 1),
        ("2026-11-16", 1, 2, 1),
    ]
    months = compute_stats(session=db, f=NOVEMBER, group_by="month").series
    assert [(p.period, p.parties, p.completion_rate) for p in months] == [
        ("2026-11-01", 7, round(4 / 7, 4))
    ]


def test_endpoint_and_exports(client: TestClient, db: Session, tasks: dict[str, str]) -> None:
    ops = headers_for(db, "ops-a", "ops")
    answer = client.get("/v1/stats", params={"from": "2026-11-01", "to": "2026-11-30"}, headers=ops)
    assert answer.status_code == 200, answer.text
    assert answer.json()["served"] == 4 and answer.headers["x-request-id"]
    weekly = client.get(
        "/v1/stats", params={"group_by": "period", "period": "week", "department": "civil"},
        headers=ops,
    ).json()["series"]  # fmt: skip
    assert [p["period"] for p in weekly] == ["2026-10-12", "2026-10-26", "2026-11-02", "2026-11-16"]
    judge = headers_for(db, "judge-b", "judge", "K01")
    assert client.get("/v1/stats", headers=judge).json()["requests"] == 1  # own court only
    clerk = headers_for(db, "clerk-c", "clerk", "J12")
    assert client.get("/v1/stats", headers=clerk).status_code == 403
    exported = client.get("/v1/stats/export", params={"format": "csv"}, headers=ops)
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert ["requests", "5"] in rows and ["electronic", "3"] in rows
    xlsx = client.get("/v1/stats/export", params={"format": "xlsx"}, headers=ops)
    book = load_workbook(io.BytesIO(xlsx.content))
    summary = {row[0]: row[1] for row in book["summary"].iter_rows(values_only=True)}
    assert summary["parties"] == 8 and summary["served"] == 5
    assert set(book.sheetnames) >= {"methods", "days_to_serve", "series", "clerk_workload"}


def test_rollup_follows_the_record(db: Session, tasks: dict[str, str]) -> None:
    assert compute_stats(session=db, f=NOVEMBER).served == 4
    task = db.get_one(ServiceTask, tasks["R5-1"])
    task.status, task.method, task.served_on = "served", "electronic", date(2026, 11, 3)
    task.updated_at = utcnow()
    db.commit()
    assert compute_stats(session=db, f=NOVEMBER).served == 4  # within the allowed age
    fresh = compute_stats(session=db, f=NOVEMBER, max_age=0)
    assert (fresh.served, fresh.by_method["electronic"]) == (5, 3)
    assert fresh.days_to_serve["2"] == 1  # submitted on 2026-11-01 Beijing, served on the 3rd
    db.execute(delete(StatsRollup))
    db.commit()
    assert compute_stats(session=db, f=NOVEMBER).served == 0  # the rollup is what stats read
    refresh(db, full=True)
    assert compute_stats(session=db, f=NOVEMBER).served == 5

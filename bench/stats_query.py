"""(d) The stats query at a province's size: a million tasks and ten million timeline events.

Seeds a fresh PostgreSQL database (migrated like production) with generate_series, builds the
statistics rollup from scratch, then times GET /v1/stats's query (compute_stats) for the whole
period, one month, one court and the monthly series.
Usage: python bench/stats_query.py [--tasks N] [--events-per-task K]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Boolean, Date, DateTime, Integer, String, Table, Text
from sqlalchemy.orm import Session

from api.stats.rollup import refresh
from api.stats.service import StatsFilter, compute_stats
from bench.common import bench_settings, fresh_database, report
from domain.store.db import make_engine, make_session_factory
from domain.tables.core import Base
from launcher import Stack

PARTIES_PER_REQUEST = 4
# Per table: SQL expressions over g (the series number) for the columns that matter; every
# other required column gets a neutral value of its type.
SEEDS: dict[str, dict[str, str]] = {
    "courts": {"code": "'C' || g", "name": "'court ' || g"},
    "users": {"id": "'u1'", "name": "'bench-client'", "role": "'case_system'"},
    "service_requests": {
        "id": "'r' || g", "client_id": "'u1'", "external_id": "'x' || g",
        "court_code": "'C' || (g % 10)", "case_number": "'(2026)津0103民初' || g || '号'",
        "procedure": "'ordinary'", "handler": "'judge-' || (g % 40)", "status": "'completed'",
        "workflow_started": "true",
        "created_at": "timestamptz '2025-06-01 09:00+08' + (g % 540) * interval '1 day'",
    },
    "parties": {"id": "'p' || g", "request_id": f"'r' || (g / {PARTIES_PER_REQUEST})",
                "ref": "'P' || g", "kind": "'person'", "role": "'defendant'"},
    "service_tasks": {
        "id": "'t' || g", "request_id": f"'r' || (g / {PARTIES_PER_REQUEST})",
        "party_id": "'p' || g", "party_ref": "'P' || g", "workflow_id": "'svc-' || g",
        "status": "CASE WHEN g % 100 < 97 THEN 'served' ELSE 'failed' END",
        "method": "CASE WHEN g % 100 < 43 THEN 'electronic' WHEN g % 100 < 70 THEN 'mail' "
                  "WHEN g % 100 < 80 THEN 'phone' WHEN g % 100 < 90 THEN 'direct' "
                  "WHEN g % 100 < 97 THEN 'public_notice' END",
        "served_on": f"CASE WHEN g % 100 < 97 THEN date '2025-06-01' + (g / {PARTIES_PER_REQUEST}"
                     ") % 540 + (g % 17) END",
    },
    "timeline_events": {"id": "'e' || g", "task_id": "'t' || (g / {events})",
                        "event_key": "'k' || g", "seq": "g % {events}", "kind": "'progress'",
                        "at": "timestamptz '2025-06-01' + (g % 540) * interval '1 day'"},
}  # fmt: skip


def neutral(column: Any) -> str:
    """Returns a neutral SQL value for a required column of this type."""
    kind = column.type
    if isinstance(kind, Boolean):
        return "false"
    if isinstance(kind, Integer):
        return "0"
    if isinstance(kind, DateTime):
        return "now()"
    if isinstance(kind, Date):
        return "current_date"
    if isinstance(kind, String | Text):
        return "'-'"
    return "'{}'"  # JSON and sealed values: never read by the stats


def _generated(column: Any) -> bool:
    return bool(column.primary_key and isinstance(column.type, Integer))


def insert_sql(table: Table, count: int, values: dict[str, str]) -> str:
    """Returns INSERT ... SELECT over generate_series filling every required column."""
    names, exprs = [], []
    for column in table.columns:
        if column.name in values:
            names.append(f'"{column.name}"')
            exprs.append(values[column.name])
        elif not column.nullable and column.server_default is None and not _generated(column):
            names.append(f'"{column.name}"')
            exprs.append(neutral(column))
    return (
        f"INSERT INTO {table.name} ({', '.join(names)}) "
        f"SELECT {', '.join(exprs)} FROM generate_series(0, {count - 1}) AS g"
    )


def seed(url: str, tasks: int, events_per_task: int) -> float:
    """Fills the database; returns the seconds it took."""
    tables = Base.metadata.tables
    counts = {
        "courts": 10,
        "users": 1,
        "service_requests": tasks // PARTIES_PER_REQUEST,
        "parties": tasks,
        "service_tasks": tasks,
        "timeline_events": tasks * events_per_task,
    }
    start = time.monotonic()
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        for name, count in counts.items():
            values = {k: v.format(events=events_per_task) for k, v in SEEDS[name].items()}
            conn.execute(insert_sql(tables[name], count, values))  # type: ignore[arg-type]
            conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    return time.monotonic() - start


def timed(run: Callable[[], object], times: int = 5) -> tuple[float, float]:
    """Returns the median and the slowest of several runs, in milliseconds."""
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 1), round(max(samples), 1)


def main() -> None:
    """Seeds, then times the stats query under four filters."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--events-per-task", type=int, default=10)
    args = parser.parse_args()
    with fresh_database("postgresql") as url:
        Stack(bench_settings(url, Path("/tmp/songda-bench-stats"))).migrate()
        seeded_s = seed(url, args.tasks, args.events_per_task)
        factory = make_session_factory(make_engine(url))
        with factory() as session:
            start = time.monotonic()
            refresh(session, full=True)  # what `songda stats-rebuild` does after a bulk load
            rebuilt_s = time.monotonic() - start
        cases = {
            "whole period": StatsFilter(),
            "one month": StatsFilter(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)),
            "one court": StatsFilter(court="C3"),
            "one judge": StatsFilter(judge="judge-7"),
            "one channel": StatsFilter(channel="electronic"),
            "monthly series": StatsFilter(),
        }
        rows: list[tuple[str, Any]] = [
            ("seeding (s)", round(seeded_s, 1)),
            ("rollup rebuild from scratch (s)", round(rebuilt_s, 1)),
        ]
        figures: dict[str, Any] = {"tasks": args.tasks, "events": args.tasks * args.events_per_task}
        with factory() as session:
            for label, flt in cases.items():
                group = "month" if label == "monthly series" else None
                med, worst = timed(lambda f=flt, g=group, s=session: _stats(s, f, g))
                rows.append((f"{label}: median / max (ms)", f"{med} / {worst}"))
                figures[label.replace(" ", "_") + "_ms"] = med
    report("stats_query", rows, figures)


def _stats(session: Session, flt: StatsFilter, group: str | None) -> object:
    return compute_stats(session=session, f=flt, group_by=group)


if __name__ == "__main__":
    main()

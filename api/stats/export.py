"""The figures as CSV and XLSX files, for the court's own reports."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from api.stats.service import StatsOut

Rows = list[list[str | int | float]]


def _pairs(counts: dict[str, int]) -> Rows:
    return [[key, value] for key, value in counts.items()]


def sheets(stats: StatsOut) -> dict[str, Rows]:
    """Returns the figures as named tables: summary, methods, days, series, workload."""
    summary: Rows = [["figure", "value"]]
    for name in ("requests", "parties", "served", "completion_rate", "electronic_share"):
        summary.append([name, getattr(stats, name)])
    summary.append(["median_days_to_serve", "" if stats.median_days_to_serve is None
                    else stats.median_days_to_serve])  # fmt: skip
    for key, value in stats.repair.items():
        summary.append([f"repair_{key}", value])
    series: Rows = [["period", "requests", "parties", "served", "completion_rate",
                     "electronic_share"]]  # fmt: skip
    series += [[p.period, p.requests, p.parties, p.served, p.completion_rate,
                p.electronic_share] for p in stats.series]  # fmt: skip
    return {
        "summary": summary,
        "methods": [["method", "served"], *_pairs(stats.by_method)],
        "days_to_serve": [["days", "parties"], *_pairs(stats.days_to_serve)],
        "series": series,
        "clerk_workload": [["closer", "kind", "closed"],
                           *([w["closer"], w["kind"], w["closed"]] for w in stats.clerk_workload)],
    }  # fmt: skip


def to_csv(stats: StatsOut) -> str:
    """Returns every table in one CSV, each headed by its name and followed by a blank line."""
    out = io.StringIO()
    writer = csv.writer(out)
    for name, rows in sheets(stats).items():
        writer.writerow([f"# {name}"])
        writer.writerows(rows)
        writer.writerow([])
    return out.getvalue()


def to_xlsx(stats: StatsOut) -> bytes:
    """Returns a workbook with one sheet per table."""
    book = Workbook()
    first = True
    for name, rows in sheets(stats).items():
        sheet = book.active if first else book.create_sheet()
        first = False
        if sheet is None:
            sheet = book.create_sheet()
        sheet.title = name
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

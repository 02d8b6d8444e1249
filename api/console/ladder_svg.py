"""A party's ladder as a picture (inline SVG, drawn on the server): plan, what happened, when.

One row per planned rung: its name and planned wait, then a bar from the legal date the rung
started to the date it ended (green where it served, red where it failed, blue while running,
grey when never reached), the planned deadline as a tick, and the served-on date as a flag.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

from api.console.labels import STEPS, label
from domain.pure.legal_calendar import LegalCalendar
from domain.tables.core import ServiceTask, TimelineEvent

COLORS = {"served": "#1a7f37", "failed": "#cf222e", "running": "#0b5cad", "planned": "#d0d7de"}
STATES = {"served": "送达", "failed": "未成功", "running": "进行中", "planned": "未到达"}
WIDTH, LEFT, RIGHT, ROW, TOP = 720, 150, 20, 34, 30
PEOPLE_STEPS = ("phone", "direct")
CALENDAR = LegalCalendar()


@dataclass
class RungRow:
    """One planned rung and what became of it."""

    step: str
    wait_days: float
    started: date | None = None
    ended: date | None = None
    state: str = "planned"

    @property
    def deadline(self) -> date | None:
        """Returns the planned end: the start plus the wait, in workdays for people's rungs."""
        if self.started is None:
            return None
        if self.step in PEOPLE_STEPS:  # work orders fall due after workdays (domain/pure/plan.py)
            return CALENDAR.add_workdays(self.started, math.ceil(self.wait_days)).value
        return self.started + timedelta(days=self.wait_days)


def rows_of(events: list[TimelineEvent], served_on: date | None) -> list[RungRow]:
    """Returns the plan's rungs with their start, end and state read from the timeline."""
    plan = next((e for e in events if e.kind == "plan"), None)
    steps = (plan.detail or {}).get("steps", []) if plan else []
    rows = [RungRow(str(s.get("step")), float(s.get("wait_days") or 0)) for s in steps]
    by_step = {row.step: row for row in rows}
    current: RungRow | None = None
    for event in events:
        row = by_step.get(event.step or "")
        when = event.legal_date
        if row is None or when is None:
            continue
        if event.kind == "step_started":
            if current is not None and current.state == "running":
                current.ended, current.state = when, "failed"
            row.started, row.ended, row.state, current = row.started or when, None, "running", row
        elif event.kind == "step_failed":
            row.ended, row.state = when, "failed"
        elif event.kind == "finished":
            row.ended = served_on or when
            row.state = "served" if (event.detail or {}).get("status") == "served" else "failed"
    return rows


def _x(day: date, first: date, span: int) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span


def ladder(rows: list[RungRow], served_on: date | None, today: date) -> Markup:
    """Returns the ladder's SVG; a hint when the plan is not made yet."""
    if not rows:
        return Markup('<p class="hint">送达方案制定后显示送达进程图。</p>')
    days = [d for r in rows for d in (r.started, r.ended, r.deadline) if d] + [today]
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    height = TOP + ROW * len(rows) + 24
    body = [f'<text x="{LEFT}" y="16" fill="#57606a">{first.isoformat()}</text>',
            f'<text x="{WIDTH - RIGHT}" y="16" text-anchor="end" fill="#57606a">'
            f"{last.isoformat()}</text>"]  # fmt: skip
    for i, row in enumerate(rows):
        body.append(_row(row, TOP + i * ROW, first, span, today))
    if served_on is not None:
        x = _x(served_on, first, span)
        body.append(
            f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{height - 18}" '
            f'stroke="{COLORS["served"]}" stroke-width="2" stroke-dasharray="4 3"/>'
            f'<text x="{min(x + 4, WIDTH - 150):.1f}" y="{height - 4}" fill="{COLORS["served"]}">'
            f"送达日 {served_on.isoformat()}</text>"
        )
    title = "送达进程图：计划的各步骤、期限、实际经过与送达日"
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="ladder" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" style="max-width:{WIDTH}px" '
        f'font-size="12" font-family="Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _row(row: RungRow, y: int, first: date, span: int, today: date) -> str:
    name = escape(label(STEPS, row.step))
    parts = [f'<text x="{LEFT - 8}" y="{y + 13}" text-anchor="end">{name}</text>',
             f'<text x="{LEFT - 8}" y="{y + 26}" text-anchor="end" fill="#57606a" '
             f'font-size="10">计划 {row.wait_days:g} 日</text>']  # fmt: skip
    if row.started is None:
        parts.append(
            f'<rect x="{LEFT}" y="{y + 4}" width="{WIDTH - LEFT - RIGHT}" height="14" '
            f'fill="none" stroke="{COLORS["planned"]}" stroke-dasharray="3 3"/>'
        )
        return "".join(parts)
    start = _x(row.started, first, span)
    end = _x(row.ended or today, first, span)
    color = COLORS[row.state]
    tip = f"{label(STEPS, row.step)}：{STATES[row.state]}，{row.started.isoformat()} 起"
    parts.append(
        f'<rect x="{start:.1f}" y="{y + 4}" width="{max(end - start, 3):.1f}" height="14" '
        f'fill="{color}"><title>{escape(tip)}</title></rect>'
    )
    if row.deadline is not None:
        tick = _x(row.deadline, first, span)
        # Near the right edge the label reads leftwards, so it is never cut off.
        anchor, at = ("end", tick - 3) if tick > WIDTH - 110 else ("start", tick + 3)
        parts.append(
            f'<line x1="{tick:.1f}" y1="{y}" x2="{tick:.1f}" y2="{y + 22}" stroke="#9a6700"/>'
            f'<text x="{at:.1f}" y="{y + 30}" text-anchor="{anchor}" fill="#9a6700" '
            f'font-size="10">期限 {row.deadline.isoformat()}</text>'
        )
    return "".join(parts)


def party_ladder(events: list[TimelineEvent], task: ServiceTask, today: date) -> Markup:
    """Returns the picture of one party's ladder from its timeline events."""
    return ladder(rows_of(events, task.served_on), task.served_on, today)

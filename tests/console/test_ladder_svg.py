"""The judge's picture of a party's ladder: planned rungs, what happened, the served-on date."""

from __future__ import annotations

from datetime import date

from api.console.ladder_svg import RungRow, ladder, rows_of
from domain.tables.core import TimelineEvent

PLAN = {"steps": [{"step": "electronic", "wait_days": 3}, {"step": "mail", "wait_days": 10}]}


def _event(seq: int, kind: str, step: str | None, day: int, **detail: str) -> TimelineEvent:
    detail_of = PLAN if kind == "plan" else detail
    return TimelineEvent(task_id="t", seq=seq, kind=kind, step=step,
                         legal_date=date(2026, 12, day), detail=detail_of)  # fmt: skip


def test_rows_follow_the_timeline_to_the_served_on_date() -> None:
    events = [
        _event(0, "plan", None, 7),
        _event(1, "step_started", "electronic", 7),
        _event(2, "step_failed", "electronic", 8),
        _event(3, "step_started", "mail", 8),
        _event(4, "finished", "mail", 12, status="served"),
    ]
    served_on = date(2026, 12, 11)
    rows = rows_of(events, served_on)
    assert [(r.step, r.state, r.started, r.ended) for r in rows] == [
        ("electronic", "failed", date(2026, 12, 7), date(2026, 12, 8)),
        ("mail", "served", date(2026, 12, 8), served_on),
    ]
    assert rows[1].deadline == date(2026, 12, 18)
    svg = str(ladder(rows, served_on, date(2026, 12, 12)))
    assert svg.startswith("<svg") and "送达日 2026-12-11" in svg and "邮寄送达" in svg
    assert "期限 2026-12-18" in svg


def test_no_plan_yet_says_so() -> None:
    assert "送达方案制定后" in str(ladder([], None, date(2026, 12, 7)))


def test_peoples_rungs_fall_due_after_workdays() -> None:
    friday = date(2026, 12, 11)
    assert RungRow("phone", 3, friday).deadline == date(2026, 12, 16)
    assert RungRow("mail", 3, friday).deadline == date(2026, 12, 14)

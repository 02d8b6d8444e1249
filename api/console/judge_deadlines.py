"""The judge's view of the service windows: each party's projection against its latest date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.pure.deadlines import REMEDIES, Latest
from domain.pure.ladder import Clock, Plan, Rung, Step
from domain.pure.legal_calendar import beijing_date
from domain.pure.projection import project
from domain.store.calendar_store import load_calendar
from domain.store.case_dates import odds_for, request_deadline
from domain.store.stats import channel_stats
from domain.tables.core import ServiceRequest, ServiceTask, TimelineEvent

PEOPLE = frozenset({Step.PHONE, Step.DIRECT})
OPEN = frozenset({"pending", "serving", "waiting_human", "stuck"})


def _events(session: Session, task_id: str, kind: str) -> list[TimelineEvent]:
    query = select(TimelineEvent).where(
        TimelineEvent.task_id == task_id, TimelineEvent.kind == kind
    )
    return list(session.scalars(query.order_by(TimelineEvent.seq)))


def _remaining(session: Session, task: ServiceTask) -> list[Rung]:
    plans = _events(session, task.id, "plan")
    steps = plans[-1].detail.get("steps", []) if plans else []
    rungs = [Rung(s["step"], float(s.get("wait_days") or 0), "", business_days=s["step"] in PEOPLE)
             for s in steps]  # fmt: skip
    names = [r.step for r in rungs]
    return rungs[names.index(task.step) :] if task.step in names else rungs


def _projection(
    session: Session, task: ServiceTask, latest: Latest, odds: dict[str, Any], today: date
) -> dict[str, Any]:
    row: dict[str, Any] = {"ref": task.party_ref, "latest_on": latest.on.isoformat(),
                           "task_id": task.id, "open": task.status in OPEN}  # fmt: skip
    if task.status == "served" and task.served_on is not None:
        late = task.served_on > latest.on
        return row | {"projected_on": task.served_on.isoformat(), "confidence": "已送达",
                      "at_risk": late, "state": "逾期送达" if late else "按期送达"}  # fmt: skip
    if task.status not in OPEN:
        return row | {"projected_on": "—", "confidence": "—", "at_risk": False, "state": "已结束"}
    rungs = _remaining(session, task)
    notice = next((int(r.wait_days) for r in rungs if r.step == Step.PUBLIC_NOTICE), 30)
    plan = Plan(rungs, Clock(), "", "", public_notice_days=notice)
    seen = project(rungs, today, odds, plan, load_calendar(session), latest.on)
    return row | {
        "projected_on": seen.on.isoformat() if seen.on else "无法预计",
        "confidence": f"{seen.confidence:.0%}",
        "at_risk": seen.at_risk,
        "state": "可能逾期" if seen.at_risk else "预计按期",
    }


def deadline_view(session: Session, row: ServiceRequest) -> dict[str, Any] | None:
    """Returns the windows' view of a request, or None when it gave no case dates."""
    latest = request_deadline(session, row)
    if latest is None:
        return None
    stats = channel_stats(session, since=datetime.now(UTC) - timedelta(days=365))
    today = beijing_date(datetime.now(UTC))
    parties = []
    for task in row.tasks:
        odds = {o.step: o for o in odds_for(stats, task.party.kind)}
        parties.append(_projection(session, task, latest, odds, today))
    return {
        "latest_on": latest.on.isoformat(),
        "rule": latest.words_zh,
        "confirmed": latest.confirmed,
        "rule_version": latest.rule_version,
        "hearing_at": row.hearing_at,
        "parties": parties,
        "at_risk": [p["ref"] for p in parties if p["at_risk"]],
        "remedies": [r.words_zh for r in REMEDIES],
    }

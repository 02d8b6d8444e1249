"""After a year is entered: the notice dates that were provisional, recomputed and recorded.

A task already served by a provisional notice gets its served-on date recomputed here, with a
timeline event and an audit entry; a notice still running is named so the caller can signal
its workflow, which recomputes and records the date itself (workflows/notice.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.pure.clock import BEIJING
from domain.pure.ladder import Clock, Plan
from domain.pure.legal_calendar import LegalCalendar
from domain.pure.served_on import SERVICE_RULE_VERSION, SERVICE_RULES, notice_effective
from domain.store.audit import record_audit
from domain.store.calendar_store import load_calendar
from domain.tables.calendar import CalendarYear
from domain.tables.core import ServiceRequest, ServiceTask, TimelineEvent

# The events that state a notice's effective date, the latest of a task's being the one in force.
NOTICE_KINDS = ("notice_published", "notice_effective_recomputed", "served_on_recomputed")
RUNNING = frozenset({"pending", "serving", "waiting_human", "stuck"})
CONFIRMED, PROVISIONAL = "confirmed", "unconfirmed (provisional)"


@dataclass
class Recomputed:
    """What an import changed: served dates moved or confirmed, and notices still running."""

    moved: list[tuple[str, str, str]] = field(default_factory=list)  # task, old, new
    confirmed: list[str] = field(default_factory=list)  # served tasks whose date stood
    running: list[str] = field(default_factory=list)  # workflow ids to tell
    still_provisional: int = 0  # dates that touch another year still without data


def is_provisional(detail: dict[str, object]) -> bool:
    """Tells whether a notice event's date rested on a year without calendar data."""
    return str(detail.get("calendar", "")).startswith("unconfirmed")


def latest_notices(
    session: Session, task_ids: Iterable[str] | None = None
) -> dict[str, TimelineEvent]:
    """Returns each task's latest event stating its notice's effective date."""
    query = select(TimelineEvent).where(TimelineEvent.kind.in_(NOTICE_KINDS))
    if task_ids is not None:
        query = query.where(TimelineEvent.task_id.in_(list(task_ids)))
    latest: dict[str, TimelineEvent] = {}
    for event in session.scalars(query.order_by(TimelineEvent.at, TimelineEvent.seq)):
        latest[event.task_id] = event
    return latest


def recompute_provisional(
    session: Session, *, actor: str, role: str, years: Iterable[int] = ()
) -> Recomputed:
    """Recomputes every provisional notice date on the calendar as entered now (commits)."""
    calendar, done = load_calendar(session), Recomputed()
    sources = _sources(session, years)
    for task_id, event in latest_notices(session).items():
        if not is_provisional(event.detail or {}):
            continue
        task = session.get_one(ServiceTask, task_id)
        if task.status in RUNNING and task.step == "public_notice":
            done.running.append(task.workflow_id)
            continue
        if task.status != "served" or task.method != "public_notice":
            continue  # the notice was stopped (new contacts, cancel): no date to correct
        _recompute_served(session, task, event, calendar, sources, done, actor, role)
    session.commit()
    return done


def _recompute_served(
    session: Session,
    task: ServiceTask,
    event: TimelineEvent,
    calendar: LegalCalendar,
    sources: str,
    done: Recomputed,
    actor: str,
    role: str,
) -> None:
    detail = event.detail or {}
    issued = date.fromisoformat(str(detail["issued_on"]))
    new = notice_effective(issued, _period(session, task, detail), calendar)
    if not new.confirmed:
        done.still_provisional += 1
        return
    old = task.served_on.isoformat() if task.served_on else str(detail.get("effective_on", ""))
    rule = SERVICE_RULES["public_notice"]
    now = datetime.now(UTC)
    record = {
        "issued_on": issued.isoformat(),
        "old_served_on": old,
        "served_on": new.value.isoformat(),
        "effective_on": new.value.isoformat(),
        "calendar": CONFIRMED,
        "calendar_source": sources,
        "rule": rule.words,
        "article": rule.article,
        "rule_version": SERVICE_RULE_VERSION,
        **{k: str(v) for k, v in detail.items() if k.startswith("notice_")},
    }
    last_seq = session.scalar(
        select(func.max(TimelineEvent.seq)).where(TimelineEvent.task_id == task.id)
    )
    # Keyed by the provisional event it corrects: a second import finds it done.
    session.add(
        TimelineEvent(
            task_id=task.id,
            event_key=f"{task.workflow_id}:calendar:{event.id}",
            seq=(last_seq or 0) + 1,
            at=now,
            legal_date=now.astimezone(BEIJING).date(),
            step="public_notice",
            kind="served_on_recomputed",
            detail=record,
        )
    )
    task.served_on = new.value
    request = session.get_one(ServiceRequest, task.request_id)
    record_audit(
        session,
        actor=actor,
        role=role,
        action="task.served_on_recomputed",
        target=task.id,
        court_code=request.court_code,
        detail={"old": old, "new": new.value.isoformat(), "rule": "public_notice",
                "calendar_source": sources},
    )  # fmt: skip
    if new.value.isoformat() == old:
        done.confirmed.append(task.id)
    else:
        done.moved.append((task.id, old, new.value.isoformat()))


def _period(session: Session, task: ServiceTask, detail: dict[str, object]) -> Plan:
    """Returns a plan holding the notice's period: from the event, else the task's plan."""
    if "notice_days" in detail:
        days, months = int(str(detail["notice_days"])), int(str(detail["notice_months"]))
        roll = str(detail.get("notice_roll", "true")) == "true"
    else:
        # Notices published before the period was recorded: the planned rung's wait in days.
        days, months, roll = _planned_days(session, task), 0, True
    return Plan([], Clock(), "", "", public_notice_days=days, public_notice_months=months,
                public_notice_roll=roll)  # fmt: skip


def _planned_days(session: Session, task: ServiceTask) -> int:
    plan = session.scalar(
        select(TimelineEvent).where(TimelineEvent.task_id == task.id, TimelineEvent.kind == "plan")
    )
    steps = (plan.detail or {}).get("steps", []) if plan is not None else []
    waits = [s.get("wait_days") for s in steps if s.get("step") == "public_notice"]
    return int(waits[0]) if waits and waits[0] else 30


def _sources(session: Session, years: Iterable[int]) -> str:
    wanted = list(years)
    query = select(CalendarYear).order_by(CalendarYear.year)
    if wanted:
        query = query.where(CalendarYear.year.in_(wanted))
    return ", ".join(f"{row.year}: {row.source}" for row in session.scalars(query))

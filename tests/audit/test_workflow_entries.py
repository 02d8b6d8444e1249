"""The workflow's own actions reach the chain once: step changes, served or failed, the end."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from activities.trail import TrailActivities
from domain.pure.activity_io import ProgressInput, RequestOutcomeInput
from domain.settings import Settings
from domain.store.audit import verify_chain
from domain.store.db import make_session_factory
from domain.tables.trust import AuditEntry
from tests.api.test_work_orders import seed_task


def progress(
    task_id: str, seq: int, kind: str, step: str, status: str = "", served_on: str = ""
) -> ProgressInput:
    """Returns a trail event as the party workflow sends it."""
    return ProgressInput(
        task_id=task_id, event_key=f"k-{seq}", seq=seq, at="2026-11-28T08:00:00+00:00",
        legal_date="2026-11-28", step=step, kind=kind, detail={}, status=status,
        served_on=served_on,
    )  # fmt: skip


def actions(db: Session) -> list[tuple[str, str, str, str | None]]:
    """Returns (actor, role, action, court) of every entry in chain order."""
    db.expire_all()
    rows = db.scalars(select(AuditEntry).order_by(AuditEntry.seq))
    return [(e.actor, e.role, e.action, e.court_code) for e in rows]


def test_progress_and_outcome_are_audited_once(
    engine: Engine, db: Session, settings: Settings
) -> None:
    task = seed_task(db, status="serving")
    trail = TrailActivities(make_session_factory(engine), settings.key_ring)
    moved = progress(task.id, 1, "step_started", "mail")
    trail.record_progress(moved)
    trail.record_progress(moved)  # a retried activity: the same event key
    trail.record_progress(progress(task.id, 2, "note", "mail"))  # routine: not audited
    trail.record_progress(
        progress(task.id, 3, "status", "mail", status="served", served_on="2026-11-28")
    )
    outcome = RequestOutcomeInput(request_id=task.request_id, status="completed")
    trail.record_request_outcome(outcome)
    trail.record_request_outcome(outcome)
    wid = task.workflow_id
    assert actions(db) == [
        (wid, "workflow", "task.step_changed", "J12"),
        (wid, "workflow", "task.served", "J12"),
        (f"sr-{task.request_id}", "workflow", "request.completed", "J12"),
    ]
    served = db.scalars(select(AuditEntry).where(AuditEntry.action == "task.served")).one()
    assert served.target == task.id and served.detail["served_on"] == "2026-11-28"
    assert verify_chain(db).ok

"""Issue 12, item 9: entering a year recomputes the notice dates that were provisional, records
the change on the timeline and in the audit, and tells the notices still running."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.pure.legal_calendar import YearOverride
from domain.settings import Settings
from domain.store.calendar_gaps import calendar_gaps
from domain.store.calendar_recompute import recompute_provisional
from domain.store.calendar_store import import_year
from domain.tables.core import ServiceTask, TimelineEvent
from domain.tables.trust import AuditEntry
from tests.api.conftest import auth, make_token
from tests.api.test_work_orders import seed_task
from tests.databases import fresh_database
from tests.legal.test_calendar_import import import_2027
from tests.legal.test_calendar_missing import publish

# 2027-01-19, the weekend-only last day of a notice issued 2026-12-20, is a holiday here.
NOTICE_2027 = {"holidays": ["2027-01-01", "2027-01-19"], "workdays": ["2027-02-20"]}


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    """Settings on a fresh PostgreSQL database, with Temporal where nothing listens."""
    with fresh_database("postgresql") as url:
        yield Settings(
            SONGDA_STATE_DIR=tmp_path / "state", DATABASE_URL=url, TEMPORAL_ADDRESS="127.0.0.1:1"
        )


def served_provisionally(db: Session) -> ServiceTask:
    """A task the workflow served by notice on the weekend-only date 2027-01-19."""
    task = seed_task(db)
    publish(db, task, "2026-12-20", "2027-01-19", "unconfirmed (provisional)")
    task.status, task.method, task.served_on = "served", "public_notice", date(2027, 1, 19)
    db.commit()
    return task


def events(db: Session, task: ServiceTask, kind: str) -> list[TimelineEvent]:
    """Returns the task's timeline events of one kind."""
    query = select(TimelineEvent).where(
        TimelineEvent.task_id == task.id, TimelineEvent.kind == kind
    )
    return list(db.scalars(query))


def test_the_cli_import_recomputes_a_served_date_and_records_it(
    db: Session, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The served-on date moves to the next workday, with a timeline event and an audit entry;
    a second import changes nothing more."""
    task = served_provisionally(db)
    assert [g.task_id for g in calendar_gaps(db)] == [task.id]
    result = import_2027(NOTICE_2027, settings, tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "1 moved" in result.output
    assert f"task {task.id}: served on 2027-01-19 -> 2027-01-20" in result.output
    db.expire_all()
    assert db.get_one(ServiceTask, task.id).served_on == date(2027, 1, 20)
    [event] = events(db, task, "served_on_recomputed")
    assert event.detail["old_served_on"] == "2027-01-19"
    assert event.detail["served_on"] == "2027-01-20"
    assert event.detail["calendar"] == "confirmed"
    assert event.detail["calendar_source"] == "2027: 2027.json"
    assert event.detail["article"].startswith("CPL 95")
    audits = db.scalars(select(AuditEntry).where(AuditEntry.action == "task.served_on_recomputed"))
    [audit] = list(audits)
    assert (audit.target, audit.detail["old"], audit.detail["new"]) == (
        task.id, "2027-01-19", "2027-01-20"
    )  # fmt: skip
    assert calendar_gaps(db) == []
    again = import_2027(NOTICE_2027, settings, tmp_path, monkeypatch)
    assert again.exit_code == 0, again.output
    assert "0 moved, 0 stood" in again.output
    db.expire_all()
    assert len(events(db, task, "served_on_recomputed")) == 1


def test_a_running_notice_is_named_for_its_workflow_not_rewritten(db: Session) -> None:
    """A notice still running is left to its workflow, which recomputes its own date."""
    task = seed_task(db)
    publish(db, task, "2026-12-20", "2027-01-19", "unconfirmed (provisional)")
    import_year(db, YearOverride(2027, frozenset({date(2027, 1, 19)})), "test")
    done = recompute_provisional(db, actor="ops-a", role="ops", years=[2027])
    assert (done.running, done.moved) == ([task.workflow_id], [])
    assert events(db, task, "served_on_recomputed") == []


def test_the_api_enters_the_notice_and_names_bad_fields(client: TestClient, db: Session) -> None:
    """PUT /v1/calendar/years/2027: 422 naming a date outside the year, 403 for a judge,
    200 for ops with what was recomputed, and an audit entry of the import."""
    task = served_provisionally(db)
    ops = auth(make_token(db, "ops-cal", "ops", court=None))
    judge = auth(make_token(db, "judge-cal", "judge"))
    body = {**NOTICE_2027, "source": "国办发明电〔2026〕7号"}
    url = "/v1/calendar/years/2027"
    assert client.put(url, json=body, headers=judge).status_code == 403
    bad = client.put(url, json={**body, "holidays": ["2026-10-01"]}, headers=ops)
    assert bad.status_code == 422
    assert "holidays[0]" in bad.text
    unknown = client.put(url, json={**body, "holiday": []}, headers=ops)
    assert unknown.status_code == 422 and "holiday" in unknown.text
    answer = client.put(url, json=body, headers=ops)
    assert answer.status_code == 200, answer.text
    out = answer.json()
    assert (out["year"], out["holidays"], out["workdays"]) == (2027, 2, 1)
    assert out["moved"] == [
        {"task_id": task.id, "old_served_on": "2027-01-19", "served_on": "2027-01-20"}
    ]
    db.expire_all()
    imported = db.scalars(select(AuditEntry).where(AuditEntry.action == "calendar.import")).one()
    assert (imported.actor, imported.target) == ("ops-cal", "calendar:2027")
    view = client.get(f"/v1/service-requests/{task.request_id}", headers=judge).json()
    assert view["tasks"][0]["provisional"] is False
    assert view["tasks"][0]["served_on"] == "2027-01-20"

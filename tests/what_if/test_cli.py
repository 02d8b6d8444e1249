"""`songda what-if` over seeded history: the known differences, a CSV, and no row changed."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from api.cli.main import app
from domain.store.db import make_engine, make_session_factory
from domain.store.what_if_record import read_only
from domain.tables.core import (
    Base,
    Court,
    Party,
    ServiceRequest,
    ServiceTask,
    TimelineEvent,
    User,
    WorkOrder,
)  # fmt: skip
from domain.tables.people import CallAttempt
from tests.databases import fresh_database

runner = CliRunner()
PLAN = [{"step": s, "wait_days": w} for s, w in
        (("electronic", 3.0), ("phone", 3.0), ("mail", 10.0), ("direct", 5.0),
         ("public_notice", 30.0))]  # fmt: skip
# Per party: (step, started, ended, how it ended) and the task's method and date.
HISTORY = {
    "P1": ([("electronic", 2, 5, "no receipt that serves before the deadline"),
            ("mail", 5, 9, "no letter served: returned (no such recipient)"),
            ("public_notice", 9, 39, "served")], "public_notice", 39),
    "P2": ([("electronic", 2, 5, "no receipt that serves before the deadline"),
            ("mail", 5, 9, "served")], "mail", 9),
    "P3": ([("electronic", 2, 5, "served")], "electronic", 5),
    "P4": ([("phone", 2, 3, "clerk: unreachable"), ("mail", 3, 7, "served")], "mail", 7),
}  # fmt: skip
START = date(2026, 3, 1)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh database of each kind with every table."""
    with fresh_database(request.param, tmp_path) as url:
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        yield engine
        engine.dispose()


def _day(n: int) -> date:
    return START + timedelta(days=n - 1)


def _event(task: ServiceTask, seq: int, kind: str, day: date, **detail: object) -> TimelineEvent:
    at = datetime(day.year, day.month, day.day, 2, seq, tzinfo=UTC)
    step = str(detail.pop("step", "")) or None
    return TimelineEvent(task_id=task.id, event_key=f"{task.id}:{seq}", seq=seq, at=at,
                         legal_date=day, step=step, kind=kind, detail=detail)  # fmt: skip


def seed(session: Session) -> None:
    """Stores one request of four finished parties with their recorded rungs."""
    owner = User(id="u1", name="owner", role="case_system", court_code="J12")
    session.add_all([Court(code="J12", name="天津市河西区人民法院"), owner])
    session.flush()
    request = ServiceRequest(client_id="u1", external_id="what-if", court_code="J12",
                             case_number="（2026）津0103民初9号", procedure="ordinary")  # fmt: skip
    session.add(request)
    session.flush()
    for position, (ref, (rungs, method, served)) in enumerate(HISTORY.items()):
        party = Party(request_id=request.id, position=position, ref=ref, name="张三",
                      kind="person", role="defendant")  # fmt: skip
        session.add(party)
        session.flush()
        task = ServiceTask(request_id=request.id, party_id=party.id, position=position,
                           party_ref=ref, workflow_id=f"svc-{request.id}-{ref}", status="served",
                           method=method, served_on=_day(served))  # fmt: skip
        session.add(task)
        session.flush()
        events = [_event(task, 0, "plan", _day(1), steps=PLAN)]
        for step, started, ended, how in rungs:
            events.append(_event(task, len(events), "step_started", _day(started), step=step))
            if how == "served":
                on = _day(served).isoformat()
                events.append(_event(task, len(events), "finished", _day(ended), step=step,
                                     served_on=on, method=method))  # fmt: skip
            else:
                events.append(_event(task, len(events), "step_failed", _day(ended), step=step,
                                     reason=how))  # fmt: skip
            if step == "phone":
                order = WorkOrder(task_id=task.id, order_key=f"{task.id}-1", court_code="J12",
                                  kind="phone", status="closed", outcome="unreachable",
                                  due_at=datetime(2026, 3, 5, tzinfo=UTC))  # fmt: skip
                session.add(order)
                session.flush()
                session.add_all([CallAttempt(work_order_id=order.id, source="manual",
                                             started_at=datetime(2026, 3, 3, h, tzinfo=UTC),
                                             result="no_answer") for h in (1, 2, 5)])  # fmt: skip
        session.add_all(events)
    session.commit()


def fingerprint(engine: Engine) -> str:
    """Returns a hash of every row of every table: any change shows."""
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = connection.execute(select(table)).all()
            digest.update(table.name.encode())
            digest.update(repr(sorted(map(repr, rows))).encode())
    return digest.hexdigest()


def _run(engine: Engine, tmp_path: Path, *args: str) -> str:
    env = {"DATABASE_URL": engine.url.render_as_string(hide_password=False),
           "SONGDA_STATE_DIR": str(tmp_path / "state"), "SONGDA_ENV": "development"}  # fmt: skip
    answer = runner.invoke(app, ["what-if", *args], env=env)
    assert answer.exit_code == 0, answer.output
    return answer.output


def test_what_if_reports_the_known_differences_and_changes_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    with make_session_factory(engine)() as session:
        seed(session)
    before = fingerprint(engine)
    same = _run(engine, tmp_path, "--rules", "2026.11-2")
    assert "4 finished tasks replayed" in same and "0 would have been served differently" in same
    out = tmp_path / "draft.csv"
    draft = _run(engine, tmp_path, "--rules", "2027.01-draft", "--csv", str(out))
    rows = {r["party"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    # Shorter waits: the letters go out a day sooner; the late portal confirmation would now
    # come after the electronic wait, so what follows is unknown.
    assert (rows["P2"]["served_on_replayed"], rows["P2"]["days_saved"]) == ("2026-03-08", "+1")
    assert rows["P3"]["method_replayed"] == "-" and "phone next" in rows["P3"]["note"]
    assert (rows["P1"]["served_on_replayed"], rows["P1"]["days_saved"]) == ("2026-04-07", "+1")
    assert " P4 " not in draft and "张三" not in draft  # the clerk's early answer: unchanged
    notice = _run(engine, tmp_path, "--rules", "2026.11-2", "--set", "notice_days=60")
    assert "P1" in notice and "2026-05-08" in notice and "-30" in notice and "P2" not in notice
    calls = _run(engine, tmp_path, "--rules", "2026.11-2", "--set", "call_min_attempts=4")
    assert "P4" in calls and "-2" in calls
    assert "0 finished tasks" in _run(engine, tmp_path, "--rules", "2026.11-2", "--court", "J13")
    later = _run(engine, tmp_path, "--rules", "2026.11-2", "--from", "2026-05-01")
    assert "0 finished tasks" in later
    assert fingerprint(engine) == before


def test_the_session_refuses_writes(engine: Engine) -> None:
    with make_session_factory(engine)() as session, read_only(session):
        with pytest.raises(Exception, match="(?i)read.only|readonly|query_only|attempt to write"):
            session.execute(text("INSERT INTO courts (code, name) VALUES ('X1', 'x')"))
    with make_session_factory(engine)() as session:
        assert session.get(Court, "X1") is None

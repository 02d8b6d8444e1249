"""Issue 12, item 9: an administrator enters a year's holidays; its provisional dates clear."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner, Result

from api.cli.main import app
from domain.settings import Settings
from domain.store.calendar_gaps import calendar_gaps
from domain.store.calendar_store import load_calendar
from tests.api.test_work_orders import seed_task
from tests.legal.test_calendar_missing import publish

# The State Council's notice for 2027 as an administrator would enter it (an example only).
NOTICE_2027 = {
    "holidays": ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10"],
    "workdays": ["2027-02-20"],
}


def import_2027(
    notice: dict[str, list[str]],
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Result:
    """Runs `songda calendar import 2027 FILE` against the test's database with the notice."""
    source = tmp_path / "2027.json"
    source.write_text(json.dumps(notice))
    monkeypatch.setenv("DATABASE_URL", settings.effective_database_url)
    monkeypatch.setenv("SONGDA_STATE_DIR", str(settings.state_dir))
    return CliRunner().invoke(app, ["calendar", "import", "2027", str(source)])


def test_importing_the_year_confirms_its_dates(
    db: Session, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`songda calendar import 2027 FILE` stores the year; the gap and the alert are gone."""
    task = seed_task(db)
    publish(db, task, "2026-12-20", "2027-01-19", "unconfirmed (provisional)")
    assert [g.years for g in calendar_gaps(db)] == [[2027]]
    result = import_2027(NOTICE_2027, settings, tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "2027" in result.output
    db.expire_all()
    assert calendar_gaps(db) == []
    calendar = load_calendar(db)
    assert calendar.is_workday(date(2027, 2, 20))  # a make-up Saturday
    assert not calendar.is_workday(date(2027, 2, 8))  # a holiday Monday


def test_a_file_with_dates_of_another_year_is_refused(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db: Session
) -> None:
    """A date outside the year is a typing error: refused, nothing stored."""
    source = tmp_path / "bad.json"
    source.write_text(json.dumps({"holidays": ["2026-10-01"], "workdays": []}))
    monkeypatch.setenv("DATABASE_URL", settings.effective_database_url)
    monkeypatch.setenv("SONGDA_STATE_DIR", str(settings.state_dir))
    result = CliRunner().invoke(app, ["calendar", "import", "2027", str(source)])
    assert result.exit_code != 0
    assert load_calendar(db).has_data(2027) is False

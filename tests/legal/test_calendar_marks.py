"""Issue 12, item 9: a provisional served-on date is marked 暂定 with its reason in the judge's
console, the proof of service and the service report, the archive's timeline, and the stats."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from activities.archive_facts import gather
from activities.archive_pack import timeline_json
from activities.archive_pdf import proof_pdf, register_font, report_pdf
from api.access.accounts import create_user
from api.app import create_app
from domain.settings import Settings
from tests.api.conftest import auth, make_token
from tests.console.conftest import PASSWORD, login
from tests.legal.test_calendar_recompute import served_provisionally
from tests.legal.test_calendar_recompute import settings as settings  # PostgreSQL

MARK = "暂定：缺少2027年节假日数据"
__all__ = ["settings"]


def test_the_judges_pages_mark_the_date(settings: Settings, db: Session) -> None:
    """The party's served-on date reads （暂定） and the reason names the missing year; the
    dashboard counts the provisional dates."""
    task = served_provisionally(db)
    create_user(session=db, name="judge-cal", role="judge", court_code="J12", password=PASSWORD)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        login(client, "judge-cal")
        page = client.get(f"/console/judge/requests/{task.request_id}")
        dashboard = client.get("/console/dashboard")
    assert page.status_code == 200, page.text
    assert "2027-01-19（暂定）" in page.text
    assert MARK in page.text
    assert "公告期满日" in page.text  # the notice's event, its fields in Chinese
    assert dashboard.status_code == 200, dashboard.text
    assert "日期暂定（缺少节假日数据）</th>" in dashboard.text
    assert '<td class="provisional">1</td>' in dashboard.text


def test_the_proof_and_the_report_mark_the_date(settings: Settings, db: Session) -> None:
    """The archive's facts carry the mark; both PDFs print the date with 暂定 and its reason."""
    task = served_provisionally(db)
    facts = gather(db, task.request_id)
    [party] = facts.parties
    assert (party.served_on, party.provisional) == ("2027-01-19", MARK)
    timeline = timeline_json(facts, party.ref).decode()
    assert '"provisional": true' in timeline and MARK in timeline
    if shutil.which("pdftotext") is None or not Path(settings.pdf_font).is_file():
        pytest.skip("pdftotext or the CJK font is missing (make fonts; poppler-utils)")
    register_font(settings.pdf_font)
    for pdf in (proof_pdf(facts, party), report_pdf(facts)):
        done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        text = "".join(done.stdout.decode().split())
        assert f"2027-01-19（{MARK}）" in text


def test_the_stats_count_provisional_tasks(client: TestClient, db: Session) -> None:
    """GET /v1/stats counts the tasks whose date is provisional, in the caller's court."""
    served_provisionally(db)
    judge = auth(make_token(db, "judge-stats", "judge"))
    assert client.get("/v1/stats", headers=judge).json()["provisional"] == 1
    ops = auth(make_token(db, "ops-stats", "ops", court=None))
    assert client.get("/v1/stats?court=J99", headers=ops).json()["provisional"] == 0

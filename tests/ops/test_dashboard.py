"""The console dashboard: figures and inline SVG charts, CSV and XLSX downloads."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from api.access.accounts import create_user

PASSWORD = "correct horse 9"
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30", "period": "week"}


def _login(client: TestClient, db: Session, name: str, role: str, court: str | None) -> None:
    create_user(session=db, name=name, role=role, court_code=court, password=PASSWORD)
    answer = client.post("/console/login", data={"name": name, "password": PASSWORD})
    assert answer.status_code in (200, 303), answer.text


def test_dashboard_draws_the_figures(
    client: TestClient, db: Session, tasks: dict[str, str]
) -> None:
    _login(client, db, "boss-ops", "ops", None)
    page = client.get("/console/dashboard", params=NOVEMBER)
    assert page.status_code == 200, page.text
    assert page.text.count("<svg") == 6 and "<script" not in page.text.split("<main")[1]
    assert "57.1%" in page.text and "50.0%" in page.text  # completion and electronic share
    assert "2026-11-09" in page.text and "clerk-li" in page.text
    exported = client.get("/console/dashboard/export.csv", params=NOVEMBER)
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert ["parties", "7"] in rows and ["2026-11-16", "1", "2", "1", "0.5", "0.0"] in rows
    xlsx = client.get("/console/dashboard/export.xlsx", params=NOVEMBER)
    book = load_workbook(io.BytesIO(xlsx.content))
    assert [r[0] for r in book["series"].iter_rows(values_only=True)][1:] == [
        "2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16",
    ]  # fmt: skip


def test_judge_sees_own_court_and_clerk_is_refused(
    client: TestClient, db: Session, tasks: dict[str, str]
) -> None:
    _login(client, db, "judge-k", "judge", "K01")
    page = client.get("/console/dashboard", params={**NOVEMBER, "court": "J12"})
    assert page.status_code == 200
    assert "<td>1</td><td>2</td><td>1</td>" in page.text.replace("\n", "").replace("      ", "")
    client.cookies.clear()
    _login(client, db, "clerk-x", "clerk", "J12")
    assert client.get("/console/dashboard").status_code == 403

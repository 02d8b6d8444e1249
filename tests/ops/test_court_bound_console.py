"""Issue 13 (11): court-bound supervisors and ops see their own court on the console's
dashboard and stuck list, whatever the form asks for."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from domain.tables.core import utcnow
from tests.ops.seed import make_stuck
from tests.ops.test_dashboard import NOVEMBER, _login

K01_FIGURES = "<td>1</td><td>2</td><td>1</td>"


@pytest.mark.parametrize("role", ["supervisor", "ops"])
def test_the_dashboard_shows_its_own_court_only(
    client: TestClient, db: Session, tasks: dict[str, str], role: str
) -> None:
    _login(client, db, f"{role}-k", role, "K01")
    for asked in ("J12", ""):
        page = client.get("/console/dashboard", params={**NOVEMBER, "court": asked})
        assert page.status_code == 200
        assert K01_FIGURES in page.text.replace("\n", "").replace("      ", "")


@pytest.mark.parametrize("role", ["supervisor", "ops"])
def test_the_stuck_list_shows_its_own_court_only(
    client: TestClient, db: Session, tasks: dict[str, str], role: str
) -> None:
    make_stuck(db, tasks, utcnow())
    _login(client, db, f"{role}-k", role, "K01")
    page = client.get("/console/ops/stuck")
    assert page.status_code == 200
    assert tasks["R3-1"] in page.text  # K01's overdue order
    assert tasks["R5-1"] not in page.text  # J12's outage

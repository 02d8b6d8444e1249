"""The ops console page lists stuck tasks; its buttons go through the audited controls."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.accounts import create_user
from domain.tables.core import utcnow
from domain.tables.trust import AuditEntry
from tests.ops.seed import make_stuck

PASSWORD = "correct horse 9"


def test_stuck_page_and_a_refused_retry(
    client: TestClient, db: Session, tasks: dict[str, str]
) -> None:
    make_stuck(db, tasks, utcnow())
    create_user(session=db, name="ops-console", role="ops", password=PASSWORD)
    client.post("/console/login", data={"name": "ops-console", "password": PASSWORD})
    page = client.get("/console/ops/stuck")
    assert page.status_code == 200, page.text
    assert tasks["R5-1"] in page.text and "通道故障" in page.text and "工单超期" in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    served = tasks["R1-1"]
    answer = client.post(
        f"/console/ops/retry/{served}", data={"csrf_token": csrf.group(1), "reason": "x"}
    )
    assert answer.status_code == 409 and "当前状态不允许此操作" in answer.text
    db.expire_all()
    entry = db.scalars(select(AuditEntry).where(AuditEntry.target == served)).one()
    assert (entry.action, entry.actor, entry.outcome) == (
        "task.retry_step",
        "ops-console",
        "refused",
    )
    assert client.post(f"/console/ops/retry/{served}", data={}).status_code == 403  # no CSRF

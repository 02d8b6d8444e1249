"""The clerk's and supervisor's pages: queue, claim, call screen, refusals, no ID number."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.tables.core import User, WorkOrder
from domain.tables.people import CallAttempt
from domain.tables.trust import AuditEntry
from tests.api.test_work_orders import PHONE, seed_order
from tests.console.conftest import login

ID_NUMBER = "11010119950612101X"


def _overdue(db: Session, order: WorkOrder) -> None:
    order.due_at = datetime.now(UTC) - timedelta(hours=2)
    db.commit()


def test_clerk_claims_from_the_queue_and_sees_the_number_to_call(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    order = seed_order(db)
    _overdue(db, order)
    csrf = login(app_client, "clerk-li")
    queue = app_client.get("/console/clerk/queue")
    assert queue.status_code == 200
    assert 'class="overdue"' in queue.text and "已超期" in queue.text
    assert PHONE not in queue.text  # the full number only on the call screen
    answer = app_client.post(f"/console/clerk/orders/{order.id}/claim", data={"csrf_token": csrf})
    assert answer.status_code == 303
    db.refresh(order)
    clerk = db.scalars(select(User).where(User.name == "clerk-li")).one()
    assert order.assignee_id == clerk.id
    screen = app_client.get(answer.headers["location"])
    assert screen.status_code == 200
    assert PHONE in screen.text and "张三" in screen.text
    assert "一键呼叫" in screen.text and "送达结果" in screen.text
    assert ID_NUMBER not in screen.text and ID_NUMBER.lower() not in screen.text
    assert "1101" not in screen.text.replace("1101**", "")  # not even a masked ID number
    views = db.scalars(select(AuditEntry).where(AuditEntry.action == "console.view_phone")).all()
    assert [v.actor for v in views] == ["clerk-li"]


def test_clerk_records_a_manual_call(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    order = seed_order(db)
    csrf = login(app_client, "clerk-li")
    form = {"csrf_token": csrf, "started_at": "2026-11-27T10:00", "ended_at": "2026-11-27T10:01",
            "result": "no_answer"}  # fmt: skip
    answer = app_client.post(f"/console/clerk/orders/{order.id}/calls", data=form)
    assert answer.status_code == 303, answer.text
    call = db.scalars(select(CallAttempt)).one()
    assert call.result == "no_answer" and call.duration_seconds == 60


def test_outcome_that_does_not_fit_is_shown_in_chinese(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    order = seed_order(db)
    csrf = login(app_client, "clerk-li")
    form = {"csrf_token": csrf, "outcome": "served_in_person"}
    answer = app_client.post(f"/console/clerk/orders/{order.id}/outcome", data=form)
    assert answer.status_code == 422
    assert 'id="outcome-error"' in answer.text and "请选择适用于此工单的结果" in answer.text
    db.refresh(order)
    assert order.status == "open"


def test_judge_cannot_open_the_call_screen(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    order = seed_order(db)
    login(app_client, "judge-zhang")
    answer = app_client.get(f"/console/clerk/orders/{order.id}")
    assert answer.status_code == 403
    assert PHONE not in answer.text


def test_supervisor_sees_queues_and_reassigns(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    order = seed_order(db)
    _overdue(db, order)
    csrf = login(app_client, "boss-wang")
    page = app_client.get("/console/supervisor/overdue")
    assert page.status_code == 200 and "未分配" in page.text
    assert '<option value="clerk-li"' in page.text
    assert PHONE not in page.text and ID_NUMBER not in page.text
    answer = app_client.post(
        f"/console/supervisor/orders/{order.id}/assign",
        data={"csrf_token": csrf, "assignee": "clerk-li"},
    )
    assert answer.status_code == 303
    db.refresh(order)
    assert order.assignee_id == db.scalars(select(User.id).where(User.name == "clerk-li")).one()
    queues = app_client.get("/console/supervisor/queues")
    assert "clerk-li" in queues.text


def test_clerk_cannot_open_supervisor_pages(app_client: TestClient, users: dict[str, str]) -> None:
    login(app_client, "clerk-li")
    assert app_client.get("/console/supervisor/queues").status_code == 403


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_clerk_uploads_evidence_and_a_wrong_type_is_refused(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    order = seed_order(db)
    csrf = login(app_client, "clerk-li")
    url = f"/console/clerk/orders/{order.id}/evidence"
    refused = app_client.post(
        url, data={"csrf_token": csrf, "kind": "photo"},
        files={"file": ("note.txt", b"just text", "text/plain")},
    )  # fmt: skip
    assert refused.status_code == 422
    assert 'id="file-error"' in refused.text
    answer = app_client.post(
        url, data={"csrf_token": csrf, "kind": "photo"},
        files={"file": ("door.png", PNG, "image/png")},
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    screen = app_client.get(answer.headers["location"])
    assert "证据已上传" in screen.text and "door.png" in screen.text
    link = re.search(r'href="(/console/clerk/evidence/[0-9a-f]+)"', screen.text)
    assert link is not None
    download = app_client.get(link.group(1))
    assert download.status_code == 200 and download.content == PNG
    assert download.headers["content-type"] == "image/png"


def test_direct_service_record_refusal_is_shown_next_to_its_field(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    order = seed_order(db, kind="direct")
    csrf = login(app_client, "clerk-li")
    screen = app_client.get(f"/console/clerk/orders/{order.id}")
    assert 'id="latitude"' in screen.text and "直接送达记录" in screen.text
    form = {"csrf_token": csrf, "outcome": "left_at_address", "place": "天津市河西区友谊路1号",
            "at": "2026-11-27T10:00", "latitude": "39.1", "longitude": "117.2"}  # fmt: skip
    answer = app_client.post(f"/console/clerk/orders/{order.id}/outcome", data=form)
    assert answer.status_code == 422
    assert 'id="witness-error"' in answer.text  # the law asks for a witness or a photo/video
    db.refresh(order)
    assert order.status == "open" and not order.details

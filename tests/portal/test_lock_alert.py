"""Issue 13 (5): a locked link shows on the task's timeline and the court's clerks get an SMS."""

from __future__ import annotations

import asyncio

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.access.accounts import create_user
from api.tasks.link_alerts import alert_locked_links
from domain.settings import Settings
from domain.store.db import make_session_factory
from domain.tables.core import PortalReceipt, TimelineEvent
from tests.portal.support import ID_NUMBER, NAME, Published
from tests.portal.test_code import sent_messages

WRONG = {"name": "李四", "id_tail": ID_NUMBER[-4:]}
CLERK_PHONE = "13800000003"


def test_a_locked_link_reaches_the_timeline_and_the_clerks(
    portal: TestClient,
    db: Session,
    engine: Engine,
    settings: Settings,
    gateway_url: str,
    published: Published,
) -> None:
    create_user(session=db, name="clerk-li", role="clerk", court_code="J12", phone=CLERK_PHONE)
    create_user(session=db, name="clerk-far", role="clerk", court_code="K01", phone="13800000004")
    for _ in range(5):
        portal.post(f"/s/{published.token}/identity", data=WRONG)
    sessions = make_session_factory(engine)
    assert asyncio.run(alert_locked_links(sessions, settings)) == 1
    assert asyncio.run(alert_locked_links(sessions, settings)) == 0  # once
    db.expire_all()
    query = select(TimelineEvent).where(
        TimelineEvent.task_id == published.task_id, TimelineEvent.kind == "link_locked"
    )
    (event,) = db.scalars(query).all()
    assert event.step == "electronic" and event.detail["scope"] == "window"
    (sms,) = sent_messages(gateway_url, "sms", CLERK_PHONE)[:1]
    text = str(sms["text"])
    assert "（2026）津0103民初1234号" in text and "锁定" in text
    assert NAME not in text and ID_NUMBER[-4:] not in text
    assert sent_messages(gateway_url, "sms", "13800000004") == []
    receipt = db.scalars(select(PortalReceipt).where(PortalReceipt.kind == "link_locked")).one()
    assert receipt.forwarded_at is not None

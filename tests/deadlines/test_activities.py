"""The deadline's activities on a real database: the latest date, the odds, the judge's SMS."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.channels.sms.failover import FailoverSms
from activities.deadline import DeadlineActivities
from activities.trail import TrailActivities
from api.access.accounts import create_user
from domain.pure.activity_io import PlanInput
from domain.pure.deadline_io import DeadlineInput, DeadlineWarning
from domain.pure.deadlines import parse_window_days
from domain.pure.ladder import Clock
from domain.settings import Settings
from domain.store.case_dates import request_deadline
from domain.tables.core import Document, ServiceRequest, ServiceTask, TimelineEvent
from tests.api.conftest import db, engine, settings  # noqa: F401  (shared fixtures)
from tests.api.test_work_orders import PHONE, seed_task


class FakeSms:
    """Keeps what was sent."""

    def __init__(self) -> None:
        self.sent: list[Any] = []

    def send(self, message: Any) -> None:
        """Records the message."""
        self.sent.append(message)


def _activities(db: Session, settings: Settings, sms: FakeSms) -> DeadlineActivities:  # noqa: F811
    factory = sessionmaker(bind=db.get_bind(), expire_on_commit=False)
    return DeadlineActivities(factory, cast(FailoverSms, sms), settings)


def _seed(db: Session, hearing: datetime | None) -> str:  # noqa: F811
    task = seed_task(db)
    request = db.get_one(ServiceRequest, task.request_id)
    request.hearing_at, request.handler = hearing, "judge-zhang"
    db.add(Document(request_id=request.id, position=0, kind="summons", title="传票",
                    media_type="application/pdf", sha256="0" * 64, bytes=1))  # fmt: skip
    db.commit()
    return task.id


def test_the_latest_date_and_the_priors_reach_the_workflow(
    db: Session,  # noqa: F811
    settings: Settings,  # noqa: F811
) -> None:
    task_id = _seed(db, datetime(2026, 10, 9, 1, 30, tzinfo=UTC))
    facts = _activities(db, settings, FakeSms()).assess_deadline(DeadlineInput(task_id))
    assert (facts.latest_on, facts.rule, facts.article) == ("2026-10-06", "hearing_notice",
                                                            "CPL 139")  # fmt: skip
    assert {o.step for o in facts.odds} >= {"electronic", "mail", "public_notice"}
    assert {o.source for o in facts.odds} == {"prior"}


def test_no_dates_no_deadline(db: Session, settings: Settings) -> None:  # noqa: F811
    task_id = _seed(db, None)
    assert (
        _activities(db, settings, FakeSms()).assess_deadline(DeadlineInput(task_id)).latest_on == ""
    )


def test_the_judge_is_told_without_personal_data(db: Session, settings: Settings) -> None:  # noqa: F811
    create_user(session=db, name="judge-zhang", role="judge", court_code="J12",
                phone="13900000009", password="correct horse 9")  # fmt: skip
    task_id = _seed(db, datetime.now(UTC) + timedelta(days=4))
    sms = FakeSms()
    warning = DeadlineWarning(task_id, "2026-12-08", "2026-12-12", 0.83, "hearing_notice")
    _activities(db, settings, sms).warn_deadline_risk(warning)
    [message] = sms.sent
    assert message.to == "13900000009"
    assert "（2026）津0103民初1234号" in message.text and "P1" in message.text
    assert "2026-12-08" in message.text and "2026-12-12" in message.text
    assert "张三" not in message.text and PHONE not in message.text


def test_the_court_setting_decides_and_is_recorded_once(
    db: Session,  # noqa: F811
    settings: Settings,  # noqa: F811
) -> None:
    task_id = _seed(db, datetime(2026, 10, 9, 1, 30, tzinfo=UTC))
    court = settings.model_copy(update={"service_window_days": "hearing_notice=5"})
    activities = _activities(db, court, FakeSms())
    assert activities.assess_deadline(DeadlineInput(task_id)).latest_on == "2026-10-04"
    activities.assess_deadline(DeadlineInput(task_id))  # a retried activity
    db.expire_all()
    recorded = db.scalars(select(TimelineEvent).where(TimelineEvent.kind == "deadline")).all()
    assert [(e.task_id, e.detail["latest_on"]) for e in recorded] == [(task_id, "2026-10-04")]
    request = db.get_one(ServiceRequest, db.get_one(ServiceTask, task_id).request_id)
    latest = request_deadline(db, request)
    assert latest is not None and latest.on == date(2026, 10, 4) and "第139条" in latest.words_zh


def test_a_wrong_window_setting_stops_the_worker(db: Session, settings: Settings) -> None:  # noqa: F811
    wrong = settings.model_copy(update={"service_window_days": "notice_days=60"})
    with pytest.raises(ValueError, match="unknown service windows: notice_days"):
        _activities(db, wrong, FakeSms())
    with pytest.raises(ValueError, match="is not code=days"):
        parse_window_days("hearing_notice")


def test_the_plan_brings_the_same_facts(
    db: Session,  # noqa: F811
    settings: Settings,  # noqa: F811
) -> None:
    """The plan reads the deadline in its own transaction: no activity of its own (issue 16)."""
    task_id = _seed(db, datetime(2026, 10, 9, 1, 30, tzinfo=UTC))
    deadline = _activities(db, settings, FakeSms())
    factory = sessionmaker(bind=db.get_bind(), expire_on_commit=False)
    trail = TrailActivities(factory, settings.key_ring, deadlines=deadline.facts)
    at = datetime(2026, 9, 28, 2, 0, tzinfo=UTC)
    plan = ActivityEnvironment().run(
        trail.plan_service,
        PlanInput(task_id, f"svc-{task_id}", Clock(), at.isoformat(), "2026-09-28"),
    )
    assert plan.deadline == deadline.assess_deadline(DeadlineInput(task_id))
    assert plan.deadline is not None and plan.deadline.latest_on == "2026-10-06"

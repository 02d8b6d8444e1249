"""The fixed yardstick: the least Temporal work that serves one party and archives its request.

A request workflow starts one child party workflow; the child plans, sends an SMS, waits for
one signal (the delivery report, sent by the send activity as a provider's webhook would) and
records the party served; the request then archives. Three activities and one signal in the
child, one activity in the parent, no songda code: what songda's shape is measured against.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker

from bench.bare import gather_limited

STEP = timedelta(seconds=30)


@activity.defn(name="minimal_step")
def minimal_step(name: str) -> str:
    """Plans, records or archives: answers at once, like a database write that succeeds."""
    return name


class Sender:
    """The send activity, with the client its delivery report goes back through."""

    def __init__(self, client: Client) -> None:
        self.client = client

    @activity.defn(name="minimal_send")
    async def send(self, workflow_id: str) -> None:
        """Sends the SMS; the gateway's delivery report comes back as one signal."""
        await self.client.get_workflow_handle(workflow_id).signal(MinimalParty.delivered)


@workflow.defn(name="MinimalParty")
class MinimalParty:
    """Plan, send, wait for the delivery report, record served."""

    def __init__(self) -> None:
        self.reported = False

    @workflow.run
    async def run(self) -> str:
        """Returns the party's outcome."""
        await workflow.execute_activity(minimal_step, "plan", start_to_close_timeout=STEP)
        await workflow.execute_activity(
            "minimal_send", workflow.info().workflow_id, start_to_close_timeout=STEP
        )
        await workflow.wait_condition(lambda: self.reported)
        await workflow.execute_activity(minimal_step, "record", start_to_close_timeout=STEP)
        return "served"

    @workflow.signal(name="delivered")
    def delivered(self) -> None:
        """Takes the delivery report."""
        self.reported = True


@workflow.defn(name="MinimalRequest")
class MinimalRequest:
    """One child party, then the archive."""

    @workflow.run
    async def run(self) -> str:
        """Returns the party's outcome once the request is archived."""
        outcome: str = await workflow.execute_child_workflow(
            MinimalParty.run, id=f"{workflow.info().workflow_id}-P1"
        )
        await workflow.execute_activity(minimal_step, "archive", start_to_close_timeout=STEP)
        return outcome


async def run_minimal(address: str, count: int, limit: int) -> tuple[float, int]:
    """Runs count minimal requests on the server; returns their seconds and events per party."""
    client = await Client.connect(address)
    queue = f"minimal-{uuid.uuid4().hex[:6]}"
    with ThreadPoolExecutor(max_workers=32) as pool:
        async with Worker(
            client, task_queue=queue, workflows=[MinimalRequest, MinimalParty],
            activities=[minimal_step, Sender(client).send], activity_executor=pool,
            max_concurrent_activities=32,
        ):  # fmt: skip
            start = time.monotonic()

            async def one(i: int) -> str:
                return await client.execute_workflow(
                    MinimalRequest.run, id=f"{queue}-{i}", task_queue=queue
                )

            await gather_limited([one(i) for i in range(count)], limit)
            seconds = time.monotonic() - start
    events = 0
    for workflow_id in (f"{queue}-0", f"{queue}-0-P1"):
        events += len((await client.get_workflow_handle(workflow_id).fetch_history()).events)
    return seconds, events

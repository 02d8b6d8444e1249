"""(b) End to end: parties served per second on the electronic path, against bare Temporal.

songda: one-party requests whose party consented to a number that the sandbox delivers to,
on an accelerated clock; served when the delivery report arrives. Bare: a workflow with the
same number of activities and signals as songda's histories for such a party (request and
party workflows together), no songda code, on the same Temporal server in the same run.
Usage: python bench/end_to_end.py [--parties N] [--concurrency C]
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.worker import Worker

from bench.bare import BareInput, BareWorkflow, bare_step, gather_limited
from bench.common import (
    case_system_token,
    report,
    request_body,
    running_stack,
    sql_count,
    stack_cpu,
    wait_until,
)
from launcher import Stack
from payload_codec import data_converter
from tests.e2e.support import mobile, party

CLOCK = {"mode": "accelerated", "seconds_per_day": 2}


def electronic_party() -> dict[str, object]:
    """A party that consented to a number the sandbox delivers to (served on delivery)."""
    return party("P1", phones=[mobile("2")], consent=True, address=None)


async def submit(base: str, token: str, count: int, concurrency: int) -> list[str]:
    """Submits count one-party requests; returns their ids."""
    run = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120
    ) as client:

        async def one(i: int) -> str:
            body = request_body(f"e2e-{run}-{i}", [electronic_party()], CLOCK)
            response = await client.post("/v1/service-requests", json=body)
            response.raise_for_status()
            return str(response.json()["id"])

        return await gather_limited([one(i) for i in range(count)], concurrency)


async def shape(stack: Stack, request_id: str) -> Counter[str]:
    """Counts activities, signals, updates and timers in a request's two histories."""
    converter = data_converter(stack.settings.key_ring)  # results are encrypted
    client = await Client.connect(stack.temporal_address, data_converter=converter)
    counts: Counter[str] = Counter()
    # The request's workflow goes on after the party is served (archive, callback, judge's
    # SMS): count its whole history.
    await asyncio.wait_for(client.get_workflow_handle(f"sr-{request_id}").result(), 120)
    for workflow_id in (f"sr-{request_id}", f"svc-{request_id}-P1"):
        history = await client.get_workflow_handle(workflow_id).fetch_history()
        for event in history.events:
            counts[EventType.Name(event.event_type)] += 1
    return counts


async def run_bare(address: str, count: int, activities: int, signals: int, limit: int) -> float:
    """Runs count bare workflows on the same server; returns the seconds they took."""
    client = await Client.connect(address)
    queue = f"bare-{uuid.uuid4().hex[:6]}"
    with ThreadPoolExecutor(max_workers=32) as pool:
        async with Worker(
            client, task_queue=queue, workflows=[BareWorkflow], activities=[bare_step],
            activity_executor=pool, max_concurrent_activities=32,
        ):  # fmt: skip
            start = time.monotonic()

            async def one(i: int) -> int:
                handle = await client.start_workflow(
                    BareWorkflow.run, BareInput(activities, signals),
                    id=f"bare-{queue}-{i}", task_queue=queue,
                )  # fmt: skip
                for _ in range(signals):
                    await handle.signal(BareWorkflow.event)
                return await handle.result()

            await gather_limited([one(i) for i in range(count)], limit)
            return time.monotonic() - start


def main() -> None:
    """Runs songda's electronic path and the bare workflow, and reports the ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parties", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    with running_stack() as stack:
        token = case_system_token(stack)
        base = f"http://127.0.0.1:{stack.settings.api_port}"
        start = time.monotonic()
        ids = asyncio.run(submit(base, token, args.parties, args.concurrency))
        served = "SELECT count(*) FROM service_tasks WHERE status = 'served'"
        wait_until(lambda: sql_count(stack, served) >= len(ids), timeout=3600)
        songda_s = time.monotonic() - start
        cpu = stack_cpu(stack)
        counts = asyncio.run(shape(stack, ids[0]))
        activities = counts["EVENT_TYPE_ACTIVITY_TASK_SCHEDULED"]
        signals = (
            counts["EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED"]
            + counts["EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED"]
        )
        bare_s = asyncio.run(
            run_bare(stack.temporal_address, args.parties, activities, signals, args.concurrency)
        )
    figures = {
        "parties": args.parties,
        "activities_per_party": activities,
        "signals_per_party": signals,
        "timers_per_party": counts["EVENT_TYPE_TIMER_STARTED"],
        "songda_parties_per_s": round(args.parties / songda_s, 2),
        "bare_workflows_per_s": round(args.parties / bare_s, 2),
        "ratio_songda_to_bare": round(bare_s / songda_s, 3),
        "songda_cpu_seconds": cpu,
    }
    report("end_to_end", [(k.replace("_", " "), v) for k, v in figures.items()], figures)


if __name__ == "__main__":
    main()

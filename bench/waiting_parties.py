"""(e') Worker memory per waiting party, to tens of thousands, on the workflows alone.

The open-tasks benchmark (bench/open_tasks.py) drives the whole stack, and on two cores it
opens about 2.5–7 parties a second: 30,000 would take hours. What grows with waiting parties
is the worker's workflow cache, so this benchmark runs songda's real party workflows, in the
real sandbox (workflows/sandbox.py) with the worker's cache size, against the stub activities
of the workflow tests, on Temporal's time-skipping test server with time standing still: each
party plans, posts its letter and then waits days for the post, as in open_tasks. It reads
the worker's resident memory at each checkpoint.
Usage: python -m bench.waiting_parties [--parties N] [--every N] [--cache N]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
import time
from uuid import uuid4

from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from bench.common import report
from bench.open_tasks import rss_mib
from domain.pure.ladder import PartyInput, Step
from tests.workflows.conftest import server_binary
from tests.workflows.harness import CASE_NUMBER, CLOCK, COURT_CODE, HOME, plan, rung
from tests.workflows.stubs import Script, stub_activities
from workflows.party import PartyServiceWorkflow
from workflows.request import ServiceRequestWorkflow
from workflows.sandbox import WORKFLOW_RUNNER

BATCH = 200  # parties started at once between reads of progress


async def _start(env: WorkflowEnvironment, queue: str, count: int) -> None:
    async def one() -> None:
        task_id = f"task-{uuid4().hex[:12]}"
        inp = PartyInput(
            task_id, "req", "P1", "person", CASE_NUMBER, COURT_CODE, CLOCK, search_attributes=False
        )
        await env.client.start_workflow(
            PartyServiceWorkflow.run, inp, id=f"svc-{task_id}", task_queue=queue
        )

    await asyncio.gather(*(one() for _ in range(count)))


async def _settled(script: Script, count: int) -> None:
    """Waits until every party started so far has posted its letter (and so waits)."""
    while len(script.calls_of("send_letter")) < count:
        await asyncio.sleep(0.5)


async def run(parties: int, every: int, cache: int) -> list[dict[str, float]]:
    """Opens waiting parties in steps; returns the worker's memory at each checkpoint."""
    env = await WorkflowEnvironment.start_time_skipping(test_server_existing_path=server_binary())
    script = Script(plan(rung(Step.MAIL, HOME), rung(Step.PUBLIC_NOTICE)))
    queue = f"waiting-{uuid4().hex}"
    worker = Worker(
        env.client,
        task_queue=queue,
        workflows=[PartyServiceWorkflow, ServiceRequestWorkflow],
        activities=stub_activities(script, env.client),
        workflow_runner=WORKFLOW_RUNNER,
        max_cached_workflows=cache,
    )
    running = asyncio.create_task(worker.run())
    series, done, start = [], 0, time.monotonic()
    gc.collect()
    series.append({"waiting": 0, "worker_rss_mib": rss_mib(os.getpid()), "elapsed_s": 0.0})
    for mark in range(every, parties + 1, every):
        while done < mark:
            step = min(BATCH, mark - done)
            await _start(env, queue, step)
            done += step
            await _settled(script, done)
        gc.collect()
        point = {"waiting": mark, "worker_rss_mib": rss_mib(os.getpid()),
                 "elapsed_s": round(time.monotonic() - start, 1)}  # fmt: skip
        series.append(point)
        print(json.dumps(point), flush=True)
    running.cancel()
    return series


def main() -> None:
    """Prints the worker's memory against waiting parties, and the growth per party."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parties", type=int, default=30_000)
    parser.add_argument("--every", type=int, default=2_500)
    parser.add_argument("--cache", type=int, default=10_000, help="the worker's sticky cache")
    args = parser.parse_args()
    series = asyncio.run(run(args.parties, args.every, args.cache))
    rows: list[tuple[str, object]] = [
        (f"{p['waiting']:>7} waiting: worker RSS (MiB)", p["worker_rss_mib"]) for p in series
    ]
    cached = [p for p in series if 0 < p["waiting"] <= args.cache]
    per_party = 0.0
    if len(cached) >= 2:
        grew = cached[-1]["worker_rss_mib"] - cached[0]["worker_rss_mib"]
        per_party = round(grew * 1024 / (cached[-1]["waiting"] - cached[0]["waiting"]), 1)
    rows.append(("KiB per cached waiting party", per_party))
    report(
        "waiting_parties",
        rows,
        {"parties": args.parties, "cache": args.cache, "kib_per_cached_party": per_party,
         "series": series},
    )  # fmt: skip
    sys.stdout.flush()
    os._exit(0)  # the time-skipping server and the worker's threads need no orderly stop


if __name__ == "__main__":
    main()

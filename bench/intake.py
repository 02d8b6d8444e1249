"""(a) Intake: service requests accepted per second through the API and started in Temporal.

Runs the API and Temporal without workers, so the figure is intake alone (workers run
elsewhere in production). Against it, on the same server in the same run: a bare loop of
`start_workflow` calls with the same concurrency (no API, no database, no worker).
Usage: python bench/intake.py [--requests N] [--concurrency C]
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from typing import Any

import httpx
from temporalio.client import Client

from bench.bare import BareInput, BareWorkflow, gather_limited
from bench.common import (
    case_system_token,
    cpu_seconds,
    mail_party,
    report,
    request_body,
    running_stack,
    sql_count,
    wait_until,
)
from bench.profiling import profiled


async def gather_limited_submit(
    base: str, token: str, bodies: list[dict[str, Any]], concurrency: int
) -> list[int]:
    """Submits the bodies with at most concurrency in flight; returns the status codes."""
    limit = asyncio.Semaphore(concurrency)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=300) as client:

        async def one(body: dict[str, Any]) -> int:
            async with limit:
                response = await client.post("/v1/service-requests", json=body)
                return response.status_code

        return await asyncio.gather(*(one(body) for body in bodies))


async def submit_all(base: str, token: str, count: int, concurrency: int) -> list[int]:
    """Submits count one-party mail requests; returns the status codes."""
    run = uuid.uuid4().hex[:6]
    bodies = [request_body(f"bench-{run}-{i}", [mail_party()]) for i in range(count)]
    return await gather_limited_submit(base, token, bodies, concurrency)


async def bare_starts(address: str, count: int, concurrency: int) -> float:
    """Starts count bare workflows (nobody runs them); returns the seconds it took."""
    client = await Client.connect(address)
    queue = f"bare-start-{uuid.uuid4().hex[:6]}"
    start = time.monotonic()

    async def one(i: int) -> None:
        await client.start_workflow(
            BareWorkflow.run, BareInput(0, 0), id=f"{queue}-{i}", task_queue=queue
        )

    await gather_limited([one(i) for i in range(count)], concurrency)
    return time.monotonic() - start


def run_intake(
    count: int, concurrency: int, name: str = "intake", profile: str | None = None
) -> dict[str, float]:
    """Submits requests, waits until every workflow started, and reports the rates."""
    with running_stack(children=("sandbox", "api")) as stack:
        token = case_system_token(stack)
        base = f"http://127.0.0.1:{stack.settings.api_port}"
        api_pid = stack.procs["api"].pid
        api_cpu = cpu_seconds(api_pid)
        start = time.monotonic()
        with profiled(stack, profile, ("api",)):
            codes = asyncio.run(submit_all(base, token, count, concurrency))
            accepted_s = time.monotonic() - start
            started = "SELECT count(*) FROM service_requests WHERE workflow_started"
            wait_until(lambda: sql_count(stack, started) >= codes.count(201), timeout=1800)
            started_s = time.monotonic() - start
        # On a shared machine the rates swing with the load; the API's CPU per request does not.
        api_cpu = cpu_seconds(api_pid) - api_cpu
        stored = sql_count(stack, "SELECT count(*) FROM service_requests")
        bare_s = asyncio.run(bare_starts(stack.temporal_address, count, concurrency))
    started_per_s = codes.count(201) / started_s
    figures = {
        "requests": count,
        "concurrency": concurrency,
        "accepted": codes.count(201),
        "refused_or_failed": count - codes.count(201),
        "stored": stored,
        "accepted_per_s": round(codes.count(201) / accepted_s, 1),
        "started_per_s": round(started_per_s, 1),
        "bare_start_workflow_per_s": round(count / bare_s, 1),
        "ratio_to_bare_start": round(started_per_s / (count / bare_s), 3),
        "all_started_after_s": round(started_s, 1),
        "api_cpu_ms_per_request": round(1000 * api_cpu / count, 1),
    }
    report(name, [(k.replace("_", " "), v) for k, v in figures.items()], figures)
    return figures


def main() -> None:
    """Parses the arguments and runs the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--profile", default=None, help="a folder for py-spy's raw profile")
    args = parser.parse_args()
    run_intake(args.requests, args.concurrency, profile=args.profile)


if __name__ == "__main__":
    main()

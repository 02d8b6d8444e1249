"""Soak: a burst of requests while processes are killed and the database drops connections.

Loopback only; bounded in count (at most 10,000 requests) and time. The case system retries a
request that got no answer (or a 5xx) with the same external id, as the contract allows; at the
end every request must be stored exactly once and its workflow started in Temporal.
Usage: python -m bench.soak [--requests N] [--concurrency C] [--rounds R]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import threading
import time
import uuid
from typing import Any

import httpx
from temporalio.client import Client

from bench.common import case_system_token, mail_party, request_body, running_stack, sql_count
from bench.common import wait_until as bench_wait
from domain.pure.names import REQUEST_WORKFLOW
from launcher import Stack
from tests.faults.suite import Injector

TRIES = 60  # per request, one second apart at most: a bounded retry, like a real case system


def percentile(values: list[float], share: float) -> float:
    """Returns the value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * share))], 3)


async def burst(
    base: str, token: str, count: int, concurrency: int
) -> tuple[list[float], list[float], int]:
    """Submits count requests; returns answer latencies, latencies with retries, and retries."""
    run = uuid.uuid4().hex[:6]
    limit = asyncio.Semaphore(concurrency)
    answers: list[float] = []
    totals: list[float] = []
    retries = 0
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:

        async def one(body: dict[str, Any]) -> None:
            nonlocal retries
            async with limit:
                first = time.monotonic()
                for _ in range(TRIES):
                    started = time.monotonic()
                    try:
                        answer = await client.post("/v1/service-requests", json=body)
                        if answer.status_code in (200, 201):
                            answers.append(time.monotonic() - started)
                            totals.append(time.monotonic() - first)
                            return
                    except httpx.TransportError:
                        pass
                    retries += 1
                    await asyncio.sleep(1.0)
                raise RuntimeError(f"{body['external_id']} was never taken")

        bodies = [request_body(f"soak-{run}-{i}", [mail_party()]) for i in range(count)]
        await asyncio.gather(*(one(body) for body in bodies))
    return answers, totals, retries


def started_in_temporal(stack: Stack) -> int:
    """Counts the request workflows Temporal knows (running or not)."""

    async def count() -> int:
        client = await Client.connect(stack.temporal_address)
        query = f"WorkflowType = '{REQUEST_WORKFLOW}'"
        return (await client.count_workflows(query)).count

    return asyncio.run(count())


def main() -> None:
    """Runs the soak and exits 1 if a request was lost or doubled."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=1, help="times each fault kind happens")
    args = parser.parse_args()
    count = min(args.requests, 10_000)
    os.environ.setdefault("SONGDA_ENV", "development")
    with running_stack() as stack:
        token = case_system_token(stack, "soak-case-system")
        injector = Injector(stack, seed=15, outage_seconds=10.0)
        order = [k for k in injector.plan(args.rounds) if not k.startswith(("sms", "email"))]
        faults = threading.Thread(target=injector.run, args=(order, (2.0, 6.0)))
        start = time.monotonic()
        faults.start()
        base = f"http://127.0.0.1:{stack.settings.api_port}"
        answers, totals, retries = asyncio.run(burst(base, token, count, args.concurrency))
        burst_s = time.monotonic() - start
        faults.join(600)
        started = "SELECT count(*) FROM service_requests WHERE workflow_started"
        bench_wait(lambda: sql_count(stack, started) >= count, timeout=1800)
        stored = sql_count(stack, "SELECT count(*) FROM service_requests")
        in_temporal = started_in_temporal(stack)
    figures = {
        "requests": count,
        "concurrency": args.concurrency,
        "faults": sum(injector.injected.values()),
        "answered": len(answers),
        "retries": retries,
        "stored": stored,
        "started_in_temporal": in_temporal,
        "lost": count - min(stored, in_temporal),
        "doubled": max(0, stored - count),
        "accepted_per_s": round(len(answers) / burst_s, 1),
        "answer_p50_s": percentile(answers, 0.5),
        "answer_p99_s": percentile(answers, 0.99),
        "with_retries_p99_s": percentile(totals, 0.99),
        "with_retries_max_s": percentile(totals, 1.0),
    }
    for key, value in figures.items():
        print(f"{key:<22} {value}")
    print(dict(sorted(injector.injected.items())))
    sys.exit(1 if figures["lost"] or figures["doubled"] else 0)


if __name__ == "__main__":
    main()

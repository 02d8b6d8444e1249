"""(b) End to end: parties served per second and what each costs, against fixed yardsticks.

songda: one-party requests whose party consented to a number that the sandbox delivers to,
on an accelerated clock; served when the delivery report arrives. Then a few full-ladder
parties (electronic, phone, mail, direct, public notice; the bench answers the work orders).
Against, on the same Temporal server in the same run, their workers in this process:
the same shape (bench/bare.py: as many activities and signals as songda's histories for the
electronic party) and the minimal reference (bench/minimal.py: request, one child, plan, send,
one signal, record, archive). CPU is summed over songda's processes (worker, API, portal,
Temporal), the sandbox excluded: it stands for the outside world.
Usage: python -m bench.end_to_end [--parties N] [--concurrency C] [--ladder-parties L]
       [--profile DIR]  (py-spy records the worker and the API during the electronic run)
       [--save-histories]  (tests/histories/ gets this run's histories for the replay test)
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.worker import Worker

from bench.bare import BareInput, BareWorkflow, bare_step, gather_limited
from bench.common import (
    ROOT,
    case_system_token,
    cpu_seconds,
    report,
    request_body,
    running_stack,
    sql_count,
    sql_rows,
    stack_cpu,
    wait_until,
)
from bench.ladder import run_ladder
from bench.minimal import run_minimal
from bench.profiling import profiled
from launcher import Stack
from payload_codec import data_converter
from tests.e2e.histories import HISTORY_DIR, scrub
from tests.e2e.support import mobile, party

CLOCK = {"mode": "accelerated", "seconds_per_day": 2}
OUTSIDE = ("sandbox",)  # the simulated world: not songda's cost


def electronic_party() -> dict[str, Any]:
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


async def shape(stack: Stack, request_id: str, save: bool = False) -> Counter[str]:
    """Counts the events of a request's two histories by type, and all of them as "total".

    With save, writes both histories to tests/histories/ for the replay test.
    """
    converter = data_converter(stack.settings.key_ring)  # results are encrypted
    client = await Client.connect(stack.temporal_address, data_converter=converter)
    counts: Counter[str] = Counter()
    # The request's workflow goes on after the party is served (archive, callback, judge's
    # SMS): count its whole history.
    await asyncio.wait_for(client.get_workflow_handle(f"sr-{request_id}").result(), 120)
    for workflow_id in (f"sr-{request_id}", f"svc-{request_id}-P1"):
        history = await client.get_workflow_handle(workflow_id).fetch_history()
        if save:
            kind = (
                "ServiceRequestWorkflow"
                if workflow_id.startswith("sr-")
                else "PartyServiceWorkflow"
            )
            path = HISTORY_DIR / f"{kind}-{workflow_id}.json"
            path.write_text(scrub(history.to_json()))
        for event in history.events:
            counts[EventType.Name(event.event_type)] += 1
            counts["total"] += 1
            if event.HasField("activity_task_scheduled_event_attributes"):
                kind = event.activity_task_scheduled_event_attributes.activity_type.name
                counts[f"activity:{kind}"] += 1
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


def _activity_types(counts: Counter[str]) -> dict[str, int]:
    return {k.split(":", 1)[1]: v for k, v in counts.most_common() if k.startswith("activity:")}


EXTRA_WORKERS: list[subprocess.Popen[bytes]] = []  # --workers beyond the stack's own


def songda_cpu(stack: Stack) -> float:
    """Returns the CPU seconds songda's processes have used so far, the sandbox excluded."""
    extra = sum(cpu_seconds(proc.pid) for proc in EXTRA_WORKERS)
    return extra + sum(v for name, v in stack_cpu(stack).items() if name not in OUTSIDE)


@contextmanager
def more_workers(stack: Stack, count: int) -> Iterator[None]:
    """Starts count more worker processes on the stack's task queue, and stops them after."""
    log = stack.settings.state_dir / "logs" / "more-workers.log"
    with log.open("ab") as out:
        EXTRA_WORKERS.extend(
            subprocess.Popen(
                [sys.executable, "-m", "worker"],
                env=stack.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
            for _ in range(count)
        )
    try:
        yield
    finally:
        for proc in EXTRA_WORKERS:
            proc.send_signal(signal.SIGTERM)
        for proc in EXTRA_WORKERS:
            proc.wait(timeout=60)


def own_cpu() -> float:
    """Returns the CPU seconds this process has used (the yardsticks' workers run here)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def electronic(stack: Stack, token: str, args: argparse.Namespace) -> dict[str, Any]:
    """Serves the electronic parties; returns their throughput, CPU and history figures."""
    base = f"http://127.0.0.1:{stack.settings.api_port}"
    cpu, before = songda_cpu(stack), stack_cpu(stack)
    start = time.monotonic()
    with profiled(stack, args.profile):
        ids = asyncio.run(submit(base, token, args.parties, args.concurrency))
        served = "SELECT count(*) FROM service_tasks WHERE status = 'served'"
        wait_until(lambda: sql_count(stack, served) >= len(ids), timeout=3600)
        songda_s = time.monotonic() - start
        # The request goes on after its party (archive, callback, judge's SMS): its CPU counts.
        done = "SELECT count(*) FROM service_requests WHERE status = 'completed'"
        wait_until(lambda: sql_count(stack, done) >= len(ids), timeout=3600)
    cpu = songda_cpu(stack) - cpu
    methods = "SELECT coalesce(method, status), count(*) FROM service_tasks GROUP BY 1"
    # The shape is read from a party served electronically, as the benchmark intends.
    first = "SELECT request_id FROM service_tasks WHERE method = 'electronic' LIMIT 1"
    counts = asyncio.run(shape(stack, str(sql_rows(stack, first)[0][0]), args.save_histories))
    return {
        "songda_s": songda_s,
        "served_by": {str(method): int(n) for method, n in sql_rows(stack, methods)},
        "cpu_seconds_per_party": round(cpu / len(ids), 3),
        "history_events_per_party": counts["total"],
        "activities": counts["EVENT_TYPE_ACTIVITY_TASK_SCHEDULED"],
        "markers": counts["EVENT_TYPE_MARKER_RECORDED"],  # local activities and patches
        "activity_types": _activity_types(counts),
        "signals": counts["EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED"]
        + counts["EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED"],
        "timers": counts["EVENT_TYPE_TIMER_STARTED"],
        # Over the electronic run only, per process, in CPU-seconds.
        "cpu_by_process": {
            **{k: round(v - before[k], 1) for k, v in stack_cpu(stack).items()},
            "more_workers": round(sum(cpu_seconds(p.pid) for p in EXTRA_WORKERS), 1),
        },
    }


def idle(stack: Stack, seconds: float = 10.0) -> float:
    """Returns the CPU seconds per second songda's processes spend with nothing to do."""
    start, cpu = time.monotonic(), songda_cpu(stack)
    time.sleep(seconds)
    return (songda_cpu(stack) - cpu) / (time.monotonic() - start)


def ladder(stack: Stack, token: str, count: int, save: bool = False) -> dict[str, Any]:
    """Serves count full-ladder parties; their CPU net of what the idle stack spends meanwhile."""
    idle_rate = idle(stack)
    base = f"http://127.0.0.1:{stack.settings.api_port}"
    cpu, start = songda_cpu(stack), time.monotonic()
    run = asyncio.run(run_ladder(base, token, count))
    gross, took = songda_cpu(stack) - cpu, time.monotonic() - start
    idle_rate = min(idle_rate, idle(stack))  # the quieter of before and after
    busy = gross - idle_rate * took
    counts = asyncio.run(shape(stack, run["ids"][0], save))
    return {
        "ladder_parties": count,
        "ladder_steps": " → ".join(run["steps"]),
        "ladder_outcome": run["status"],
        "ladder_cpu_seconds_per_party": round(max(busy, 0.0) / count, 3),
        "ladder_history_events_per_party": counts["total"],
        "ladder_activities_per_party": counts["EVENT_TYPE_ACTIVITY_TASK_SCHEDULED"],
        "ladder_markers_per_party": counts["EVENT_TYPE_MARKER_RECORDED"],
        "ladder_refused_answers": run["refused_answers"],
        "ladder_gross_cpu_seconds": round(gross, 1),
        "ladder_seconds": round(took, 1),
        "idle_cpu_per_s": round(idle_rate, 3),
    }


def main() -> None:
    """Runs songda and both yardsticks on one server and reports every figure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parties", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--ladder-parties", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="worker processes on the queue")
    parser.add_argument("--profile", default=None, help="a folder for py-spy's raw profiles")
    parser.add_argument(
        "--save-histories", action="store_true",
        help="write one electronic and one full-ladder request's histories to tests/histories/",
    )  # fmt: skip
    args = parser.parse_args()
    with running_stack() as stack, more_workers(stack, args.workers - 1):
        token = case_system_token(stack)
        found = electronic(stack, token, args)
        full = (
            ladder(stack, token, args.ladder_parties, args.save_histories)
            if args.ladder_parties
            else {}
        )
        address, n, limit = stack.temporal_address, args.parties, args.concurrency
        bare_s = asyncio.run(
            run_bare(address, n, int(found["activities"]), int(found["signals"]), limit)
        )
        cpu = stack_cpu(stack)["temporal"] + own_cpu()
        minimal_s, minimal_events = asyncio.run(run_minimal(address, n, limit))
        minimal_cpu = stack_cpu(stack)["temporal"] + own_cpu() - cpu
    songda_rate = n / float(found["songda_s"])
    minimal_rate = n / minimal_s
    figures = {
        "parties": n,
        "workers": args.workers,
        "songda_parties_per_s": round(songda_rate, 2),
        "minimal_parties_per_s": round(minimal_rate, 2),
        "ratio_to_minimal": round(songda_rate / minimal_rate, 3),
        "same_shape_per_s": round(n / bare_s, 2),
        "ratio_to_same_shape": round(bare_s / float(found["songda_s"]), 3),
        "cpu_seconds_per_party": found["cpu_seconds_per_party"],
        "served_by": found["served_by"],
        "minimal_cpu_seconds_per_party": round(minimal_cpu / n, 3),
        "history_events_per_party": found["history_events_per_party"],
        "minimal_history_events_per_party": minimal_events,
        "activities_per_party": found["activities"],
        "markers_per_party": found["markers"],
        "activity_types": found["activity_types"],
        "signals_per_party": found["signals"],
        "timers_per_party": found["timers"],
        **full,
        "electronic_cpu_seconds": found["cpu_by_process"],
    }
    report("end_to_end", [(k.replace("_", " "), v) for k, v in figures.items()], figures)


if __name__ == "__main__":
    main()

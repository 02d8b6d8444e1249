"""(e) Worker memory with many open tasks waiting on long timers.

Submits one-party requests served by mail on the real clock: each party's letter goes out
and its workflow then waits days for the post (a timer), holding nothing on the worker but
its place in the sticky cache. Reads the worker's resident memory at checkpoints.
Usage: python bench/open_tasks.py [--tasks N] [--concurrency C]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

from bench.common import (
    case_system_token,
    mail_party,
    report,
    request_body,
    running_stack,
    sql_count,
    wait_until,
)
from bench.intake import gather_limited_submit

WAITING = "SELECT count(*) FROM service_tasks WHERE step = 'mail' AND status = 'serving'"


def rss_mib(pid: int) -> float:
    """Returns a process's resident memory in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def checkpoints(total: int, every: int = 0) -> list[int]:
    """Returns the open-task counts at which memory is read (every N tasks, when given)."""
    steps = range(every, total, every) if every else (1_000, 10_000, 25_000, 50_000, 100_000)
    return [*[m for m in steps if m < total], total]


def main() -> None:
    """Opens tasks in batches and prints the worker's memory at each checkpoint."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--every", type=int, default=0, help="read memory every N open tasks")
    args = parser.parse_args()
    rows: list[tuple[str, object]] = []
    series: list[dict[str, float]] = []
    with running_stack() as stack:
        token = case_system_token(stack)
        base = f"http://127.0.0.1:{stack.settings.api_port}"
        worker = stack.procs["worker"].pid
        temporal = stack.temporal.pid if stack.temporal else 0
        rows.append(("worker RSS at start (MiB)", rss_mib(worker)))
        done, start = 0, time.monotonic()
        for mark in checkpoints(args.tasks, args.every):
            bodies = [request_body(f"open-{i}", [mail_party()]) for i in range(done, mark)]
            asyncio.run(gather_limited_submit(base, token, bodies, args.concurrency))
            done = mark
            wait_until(lambda m=mark: sql_count(stack, WAITING) >= m, timeout=7200, every=2)
            time.sleep(10)  # let the worker settle after the last letters went out
            point = {"open_tasks": mark, "worker_rss_mib": rss_mib(worker),
                     "temporal_rss_mib": rss_mib(temporal) if temporal else 0.0,
                     "elapsed_s": round(time.monotonic() - start, 1)}  # fmt: skip
            series.append(point)
            print(json.dumps(point), flush=True)  # a long run shows its progress
            rows.append((f"{mark:>7} open: worker / Temporal RSS (MiB)",
                         f"{point['worker_rss_mib']} / {point['temporal_rss_mib']}"))  # fmt: skip
    report("open_tasks", rows, {"tasks": args.tasks, "series": series})


if __name__ == "__main__":
    main()

"""Runs the fault suite end to end and reports its figures as a table and a JSON line."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from launcher import Stack
from tests.faults import checks
from tests.faults.suite import Injector, Workload, submit_all

T = TypeVar("T")


@dataclass(frozen=True)
class SuiteSize:
    """How big a run is: requests, fault rounds, the legal day, the outages and the waits."""

    requests: int
    rounds: int
    seconds_per_day: float
    outage_seconds: float
    gap: tuple[float, float]
    settle_seconds: float
    seed: int = 15


def run_suite(stack: Stack, api: httpx.Client, size: SuiteSize) -> dict[str, Any]:
    """Submits the workload, injects the faults while it runs, settles, and measures."""
    started = time.monotonic()
    sandbox = httpx.Client(base_url=f"http://127.0.0.1:{stack.settings.sandbox_port}", timeout=30)
    injector = Injector(stack, size.seed, size.outage_seconds)
    order = injector.plan(size.rounds)
    work = submit_all(api, stack.settings.sandbox_port, size.requests, size.seconds_per_day)
    injector.run(order, size.gap)
    status = checks.settle(api, work, size.settle_seconds)
    figures = measure(stack, api, sandbox, work, status)
    figures["faults"] = dict(sorted(injector.injected.items()))
    figures["restarts"] = dict(sorted(injector.supervisor.restarts.items()))
    figures["seconds"] = round(time.monotonic() - started)
    sandbox.close()
    return figures


def measure(
    stack: Stack, api: httpx.Client, sandbox: httpx.Client, work: Workload, status: dict[str, str]
) -> dict[str, Any]:
    """Returns every figure the suite asserts on."""
    db = stack.env["DATABASE_URL"]
    sends, doubled, orphans = checks.duplicate_sends(sandbox, db)
    acknowledged, receipts_lost = checks.lost_receipts(sandbox, db)
    archives, archives_bad = checks.archive_mismatches(api, status)
    missing_callbacks: int = _bounded(lambda: checks.callbacks_missing(sandbox, work, status), 90)
    intake = sorted(work.intake_seconds)
    # A task's end reaches the legal record an activity before its workflow closes: a mismatch
    # counts as lost only when it lasts.
    lost: list[str] = _bounded(lambda: checks.lost_tasks(stack, db), 60)
    return {
        "requests": len(work.request_ids),
        "parties": work.parties,
        "completed": sum(1 for s in status.values() if s == "completed"),
        "not_ended": [
            _where(api, r) for r, s in sorted(status.items()) if s not in ("completed", "cancelled")
        ],
        "tasks_lost": len(lost),
        "lost_detail": lost,
        "sends": sends,
        "duplicate_sends": doubled,
        "sends_without_attempt": orphans,
        "events_acknowledged": acknowledged,
        "receipts_lost": receipts_lost,
        "duplicate_audit_entries": checks.duplicate_audit(db),
        "audit_chain_verifies": checks.audit_verifies(stack),
        "archives_checked": archives,
        "archives_not_matching": archives_bad,
        "callbacks_missing": missing_callbacks,
        "open_orders_of_finished_tasks": checks.open_orders_of_finished_tasks(db),
        "intake_p99_seconds": round(intake[min(len(intake) - 1, int(len(intake) * 0.99))], 3),
    }


def _where(api: httpx.Client, request_id: str) -> str:
    """Says where a request that has not ended stands: each party's status and step."""
    answer = api.get(f"/v1/service-requests/{request_id}")
    if answer.status_code != 200:
        return f"{request_id}: the API answers {answer.status_code}"
    tasks = answer.json()["tasks"]
    parties = [f"{t['party_ref']} {t['status']} {t['step']}" for t in tasks]
    return f"{request_id}: {', '.join(parties)}"


def _bounded(count: Callable[[], T], timeout: float) -> T:
    """Re-counts until nothing is found or the timeout (callbacks back off, tasks close)."""
    deadline = time.monotonic() + timeout
    value = count()
    while value and time.monotonic() < deadline:
        time.sleep(3.0)
        value = count()
    return value


def problems(figures: dict[str, Any]) -> list[str]:
    """Returns what went wrong: each figure that must be zero and is not."""
    found = [f"{len(figures['not_ended'])} requests never ended"] if figures["not_ended"] else []
    for key in (
        "tasks_lost", "duplicate_sends", "sends_without_attempt", "receipts_lost",
        "duplicate_audit_entries", "archives_not_matching", "callbacks_missing",
        "open_orders_of_finished_tasks",
    ):  # fmt: skip
        if figures[key]:
            found.append(f"{key} = {figures[key]}")
    if not figures["audit_chain_verifies"]:
        found.append("the audit chain does not verify")
    return found


def table(figures: dict[str, Any]) -> str:
    """Returns the figures as a plain-text table, then a JSON line."""
    lines = ["fault                          injected   restarts"]
    restarts = figures["restarts"]
    for kind, count in figures["faults"].items():
        name = kind.removeprefix("kill -9 ")
        again = restarts.get(name, "") if kind.startswith("kill -9") else ""
        lines.append(f"{kind:<30} {count:>8}   {again!s:>8}")
    lines.append("")
    lines.append("figure                          value")
    for key, value in figures.items():
        if key not in ("faults", "restarts", "not_ended", "lost_detail"):
            lines.append(f"{key:<31} {value}")
    lines.append(f"{'requests not ended':<31} {len(figures['not_ended'])}")
    lines.extend(f"  lost: {line}" for line in figures["lost_detail"])
    lines.extend(f"  not ended: {line}" for line in figures["not_ended"])
    lines.append(json.dumps(figures, sort_keys=True))
    return "\n".join(lines)

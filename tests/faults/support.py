"""Helpers of the fault tests: finding a stack's processes and killing them as a crash would."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import psycopg
from temporalio.client import Client

from domain.faults import EXIT_CODE
from launcher import Stack


def child_pids(parent: int, marker: str) -> list[int]:
    """Returns the direct children of a process whose command line contains marker."""
    found: list[int] = []
    for task in Path(f"/proc/{parent}/task").iterdir():
        for pid in (task / "children").read_text().split():
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            if marker.encode() in cmdline:
                found.append(int(pid))
    return found


def crash(stack: Stack, name: str) -> None:
    """Kills a child's process group with SIGKILL and waits for it, leaving it in the stack."""
    proc = stack.temporal if name == "temporal" else stack.procs[name]
    assert proc is not None
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def arm(stack: Stack, name: str, point: str) -> None:
    """Restarts a child with the development fault hook armed at point (SONGDA_FAULT)."""
    stack.env["SONGDA_FAULT"] = point
    try:
        stack.restart_child(name)
    finally:
        stack.env.pop("SONGDA_FAULT")
    stack.wait_healthy(60)


def died_of_fault(stack: Stack, name: str, timeout: float) -> bool:
    """Waits for a child armed by arm() to die at its point; True when it did."""
    try:
        return stack.procs[name].wait(timeout) == EXIT_CODE
    except subprocess.TimeoutExpired:
        return False


def revive(stack: Stack, name: str) -> None:
    """Starts a dead child again, unarmed, and waits until the stack is healthy."""
    stack.start_child(name)
    stack.wait_healthy(60)


def scalar(database_url: str, sql: str, *params: object) -> Any:
    """Returns the first column of the first row of a query on the stack's database."""
    with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        row = conn.execute(sql, params).fetchone()
        return None if row is None else row[0]


def workflow_runs(stack: Stack, workflow_id: str) -> int:
    """Counts the runs Temporal knows of a workflow id (its visibility store)."""

    async def count() -> int:
        client = await Client.connect(stack.temporal_address)
        return len([run async for run in client.list_workflows(f'WorkflowId = "{workflow_id}"')])

    return asyncio.run(count())

"""Helpers of the fault tests: finding a stack's processes and killing them as a crash would."""

from __future__ import annotations

import os
import signal
from pathlib import Path

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

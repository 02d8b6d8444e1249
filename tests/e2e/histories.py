"""Saves the suite's workflow histories for the replay test (SONGDA_SAVE_HISTORIES=1)."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

from temporalio.client import Client

HISTORY_DIR = Path(__file__).resolve().parents[1] / "histories"
ROOT = HISTORY_DIR.parents[1]


def scrub(text: str) -> str:
    """Removes this machine's paths from stack traces (replay never reads them)."""
    for prefix, name in ((str(ROOT), "<repo>"), (sys.base_prefix, "<python>")):
        text = text.replace(prefix, name)
    return re.sub(r'File \\"/[^"\\]*/', 'File \\"<path>/', text)


async def _save(address: str, limit: int) -> int:
    client = await Client.connect(address)
    HISTORY_DIR.mkdir(exist_ok=True)
    saved = 0
    async for execution in client.list_workflows("ExecutionStatus = 'Completed'", limit=limit):
        history = await client.get_workflow_handle(execution.id).fetch_history()
        name = f"{execution.workflow_type}-{execution.id}.json"
        (HISTORY_DIR / name).write_text(scrub(history.to_json()))
        saved += 1
    return saved


def save_histories(address: str, limit: int = 40) -> int:
    """Writes the completed workflows' histories to tests/histories/ and returns how many."""
    return asyncio.run(_save(address, limit))

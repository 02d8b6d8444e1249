"""The database writes a workflow waits for: local activities from their patch on.

A write that only records (the trail, the request's outcome, a work order's close) needs no
task queue of its own: as a local activity it runs in the worker that runs the workflow task
and leaves one marker in the history instead of three activity events and a workflow task to
resume (issue 16). Histories recorded before a write's patch replay with their activity.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from temporalio import workflow

from workflows import shape
from workflows.options import TRAIL, TRAIL_LOCAL

Arg = TypeVar("Arg")


async def write(patch_id: str, activity: Callable[[Arg], None], arg: Arg, summary: str) -> None:
    """Runs the write as a local activity where the patch (or the shape) applies."""
    if shape.patched(patch_id):
        await workflow.execute_local_activity(activity, arg, summary=summary, **TRAIL_LOCAL)
    else:
        await workflow.execute_activity(activity, arg, summary=summary, **TRAIL)

"""A bare Temporal workflow of songda's shape: the same activities and signals, no songda code."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

from temporalio import activity, workflow


@dataclass(frozen=True)
class BareInput:
    """How many activities to run and signals to wait for."""

    activities: int
    signals: int


@activity.defn(name="bare_step")
def bare_step(index: int) -> int:
    """Does nothing, like a channel call that answers at once."""
    return index


@workflow.defn(name="BareWorkflow")
class BareWorkflow:
    """Runs its activities one after another, then waits for its signals."""

    def __init__(self) -> None:
        self.heard = 0

    @workflow.run
    async def run(self, inp: BareInput) -> int:
        """Returns the number of signals heard."""
        for index in range(inp.activities):
            await workflow.execute_activity(
                bare_step, index, start_to_close_timeout=timedelta(seconds=30)
            )
        await workflow.wait_condition(lambda: self.heard >= inp.signals)
        return self.heard

    @workflow.signal(name="event")
    def event(self) -> None:
        """Counts an outside event."""
        self.heard += 1


async def gather_limited(coroutines: list, limit: int) -> list:  # type: ignore[type-arg]
    """Awaits coroutines with at most limit running at once."""
    semaphore = asyncio.Semaphore(limit)

    async def one(coroutine):  # type: ignore[no-untyped-def]
        async with semaphore:
            return await coroutine

    return await asyncio.gather(*(one(c) for c in coroutines))

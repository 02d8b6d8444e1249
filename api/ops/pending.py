"""Stuck activities read from Temporal: each open workflow's pending activities, described.

A party's workflow and, after every party has ended, the request's own workflow (the archive,
the callback to the case system, the judge's SMS) are described; an activity is stuck once it
is past its attempt threshold or has been failing longer than its time threshold. The reason
names the activity and the failure's type and message (masked), e.g. `FontMissing: …`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from temporalio.api.failure.v1 import Failure
from temporalio.api.workflow.v1 import PendingActivityInfo
from temporalio.client import Client
from temporalio.exceptions import FailureError
from temporalio.service import RPCError

from domain.pure.masking import mask_text
from domain.tables.core import utcnow

T = TypeVar("T")
ENCODED_FAILURE = "Encoded failure"
# How long an activity may keep failing before ops hear of it, whatever its attempt count;
# the request's own activities are the hand-back: a judge waits on the archive.
FAILING_LONGER_THAN = {
    "build_archive": timedelta(minutes=2),
    "deliver_callback": timedelta(minutes=10),
    "notify_judge": timedelta(minutes=10),
}
DEFAULT_FAILING_LONGER_THAN = timedelta(minutes=15)
# The request's activities are named by the step they stand for.
REQUEST_STEPS = {
    "build_archive": "archive",
    "deliver_callback": "callback",
    "notify_judge": "judge_sms",
}


@dataclass(frozen=True)
class StuckActivity:
    """One pending activity that keeps failing: its step, why and since when."""

    workflow_id: str
    step: str | None
    reason: str
    since: datetime


async def failure_text(client: Client, failure: Failure) -> str:
    """Returns `Type: message` of a failure, decoded with the client's codec and masked."""
    encoded = Failure()
    encoded.CopyFrom(failure)
    try:
        error = await client.data_converter.decode_failure(encoded)
    except Exception:  # a key missing from the ring: the type stays readable
        error = None
    kind = failure.application_failure_info.type
    message = error.message if isinstance(error, FailureError) else failure.message
    if not message or message == ENCODED_FAILURE:
        return mask_text(kind or "failed")[:200]
    return mask_text(f"{kind}: {message}" if kind else message)[:200]


def _failing_since(pending: PendingActivityInfo) -> datetime:
    # The first attempt's schedule is not in the description; the current retry interval
    # times the attempts gives a lower bound that grows while the activity keeps failing.
    last = pending.last_attempt_complete_time or pending.last_started_time
    anchor = last.ToDatetime(tzinfo=UTC) if last.seconds else utcnow()
    interval = pending.current_retry_interval.ToTimedelta()
    return anchor - interval * max(0, pending.attempt - 2)


async def stuck_pending(
    client: Client,
    workflow_id: str,
    pending: PendingActivityInfo,
    threshold: int,
    step: str | None,
) -> StuckActivity | None:
    """Returns the pending activity as stuck when past its attempt or time threshold."""
    if pending.attempt <= 1:
        return None
    name = pending.activity_type.name
    since = _failing_since(pending)
    limit = FAILING_LONGER_THAN.get(name, DEFAULT_FAILING_LONGER_THAN)
    if pending.attempt <= threshold and utcnow() - since < limit:
        return None
    has_failure = pending.HasField("last_failure")
    failure = await failure_text(client, pending.last_failure) if has_failure else ""
    reason = f"activity {name} on attempt {pending.attempt}"
    return StuckActivity(
        workflow_id, REQUEST_STEPS.get(name, step), f"{reason}: {failure}".rstrip(": "), since
    )


async def describe_stuck(
    client: Client, workflow_id: str, threshold: int, step: str | None = None
) -> list[StuckActivity]:
    """Returns the workflow's pending activities that are stuck; none when it is not found."""
    try:
        described = await client.get_workflow_handle(workflow_id).describe()
    except RPCError:
        return []
    found = [
        await stuck_pending(client, workflow_id, pending, threshold, step)
        for pending in described.raw_description.pending_activities
    ]
    return [item for item in found if item is not None]


async def bounded(calls: list[Awaitable[list[T]]]) -> list[T]:
    """Runs the describe calls at most 16 at a time and flattens their answers."""
    gate = asyncio.Semaphore(16)

    async def one(call: Awaitable[list[T]]) -> list[T]:
        async with gate:
            return await call

    found = await asyncio.gather(*(one(call) for call in calls))
    return [item for items in found for item in items]

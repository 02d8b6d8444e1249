"""Activity timeouts and retry policies, in one place so every rung treats failure alike."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio.common import RetryPolicy

from domain.pure.ladder import Clock

# Trail writes must land eventually: retry without limit, never faster than once a minute at
# worst, so a database outage only delays the ladder.
TRAIL: dict[str, Any] = {
    "start_to_close_timeout": timedelta(seconds=30),
    "retry_policy": RetryPolicy(
        initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=60)
    ),
}

# The same write as a local activity: retried in the worker without limit; past a minute of
# retries each wait becomes a timer, so a long database outage does not hold a workflow task.
TRAIL_LOCAL: dict[str, Any] = {
    **TRAIL,
    "local_retry_threshold": timedelta(seconds=60),
}


def channel_options(clock: Clock) -> dict[str, Any]:
    """Returns options for a call to a provider: a few tries, then the rung treats it as failed.

    A provider that keeps failing must not hold the party on one rung; under an accelerated
    clock the tries are compressed too, so demos and tests escalate in seconds.
    """
    if clock.mode == "accelerated":
        retry = RetryPolicy(
            initial_interval=timedelta(seconds=0.5),
            backoff_coefficient=2.0,
            maximum_interval=timedelta(seconds=2),
            maximum_attempts=3,
        )
    else:
        retry = RetryPolicy(
            initial_interval=timedelta(seconds=5),
            backoff_coefficient=2.0,
            maximum_interval=timedelta(minutes=10),
            maximum_attempts=10,
        )
    return {"start_to_close_timeout": timedelta(seconds=30), "retry_policy": retry}

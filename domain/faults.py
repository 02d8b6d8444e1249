"""Fault hook for crash tests: SONGDA_FAULT=<point> makes the process die at that point.

Only in development (SONGDA_ENV=development); anywhere else a set SONGDA_FAULT stops the process
at start-up. The variables are read from the environment directly, not from Settings, because
the hook must answer before (and independently of) the settings the process is checking.
"""

from __future__ import annotations

import os
import sys
from functools import cache

FAULT_VARIABLE = "SONGDA_FAULT"
ENV_VARIABLE = "SONGDA_ENV"
EXIT_CODE = 86  # how a fault-injected death shows in the launcher's log

# Where a process may be made to die, each between two effects that must stay consistent.
POINTS = {
    "intake.after_store": "the API, after storing a request and before starting its workflow",
    "webhook.before_signal": "the API, after receiving a provider event, before signalling it",
    "webhook.after_signal": "the API, after signalling a provider event, before recording it",
    "portal.after_confirm": "the portal, after storing a confirmation, before answering",
    "forwarder.after_signal": "the API, after forwarding a receipt, before marking it forwarded",
}


class FaultRefused(RuntimeError):
    """SONGDA_FAULT is set outside development, or names an unknown point."""


@cache
def armed_points() -> frozenset[str]:
    """Returns the points armed by SONGDA_FAULT; raises FaultRefused outside development."""
    raw = os.environ.get(FAULT_VARIABLE, "").strip()
    if not raw:
        return frozenset()
    if os.environ.get(ENV_VARIABLE, "") != "development":
        raise FaultRefused(
            f"{FAULT_VARIABLE} is a test hook that kills the process; it is refused unless "
            f"{ENV_VARIABLE}=development: unset {FAULT_VARIABLE}"
        )
    points = frozenset(point.strip() for point in raw.split(",") if point.strip())
    if unknown := sorted(points - POINTS.keys()):
        raise FaultRefused(
            f"{FAULT_VARIABLE} names unknown points {', '.join(unknown)}; "
            f"known: {', '.join(sorted(POINTS))}"
        )
    return points


def check_at_start() -> None:
    """Stops the process with a message when SONGDA_FAULT is set where it is refused."""
    try:
        armed_points()
    except FaultRefused as error:
        sys.stderr.write(f"songda: {error}\n")
        raise SystemExit(2) from None


def crash_at(point: str) -> None:
    """Exits the process at once (no cleanup, like kill -9) when the point is armed."""
    if point in armed_points():
        sys.stderr.write(f"songda: fault injected at {point}\n")
        sys.stderr.flush()
        os._exit(EXIT_CODE)

"""How much the address book trusts a contact point today: successes, failures and age.

A point stores its confidence as of its reference moment, the last success (or, when it never
succeeded, the last time it was seen in a request). From there it fades with a half-life of
`HALF_LIFE_DAYS`, never below `FLOOR` while it lives. A success raises it by `SUCCESS_STEP` (at
most `CEILING`) and moves the reference to the success; a failure halves it. A point is dead
(confidence 0.0) after `FAILURES_TO_DEAD` failures in a row or one failure whose reason says
the number or address does not exist; a later success revives it. `ContactPoint.failures`
counts the failures since the last success, so "in a row" needs no extra column.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from domain.tables.core import ContactPoint

# A contact that last worked a year ago is worth half of one that worked today: people keep a
# mobile number for years, but move house and change jobs often enough that a year matters.
HALF_LIFE_DAYS = 365.0
FLOOR = 0.05
CEILING = 0.99
SUCCESS_STEP = 0.3
FAILURES_TO_DEAD = 3
DEAD = 0.0

# Failure reasons meaning the value itself is gone: the number is not in service, the mailbox
# does not exist, nobody by that name or no such address at the address, moved without trace.
DEAD_REASONS = frozenset(
    {"undeliverable", "bounced", "no_such_recipient", "address_unknown", "moved_unknown"}
)

# What a new point starts at, by where it came from.
START_CONFIDENCE = {
    "confirmed": 0.8,
    "clerk": 0.7,
    "submitted": 0.5,
    "repaired": 0.4,
    "observed": 0.4,
    "postal_return": 0.3,
}


def aware(moment: datetime) -> datetime:
    """Returns moment with its timezone; SQLite hands back naive times that were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def confidence_now(point: ContactPoint, now: datetime) -> float:
    """Returns the point's confidence at now: faded with age, 0.0 for a dead point."""
    if point.confidence <= DEAD:
        return DEAD
    since = aware(point.last_success_at or point.last_seen_at)
    age_days = max(0.0, (aware(now) - since).total_seconds() / 86400.0)
    faded = point.confidence * math.pow(0.5, age_days / HALF_LIFE_DAYS)
    return max(FLOOR, min(CEILING, faded))


def is_dead(point: ContactPoint) -> bool:
    """Tells whether the point is marked dead."""
    return point.confidence <= DEAD


def record_success(point: ContactPoint, *, at: datetime, case_number: str) -> None:
    """Counts a success: raises the confidence from today's value and restarts its fading."""
    point.confidence = min(CEILING, confidence_now(point, at) + SUCCESS_STEP)
    point.last_success_at = at
    point.last_success_case = case_number
    point.successes = (point.successes or 0) + 1
    point.failures = 0
    point.last_seen_at = max(aware(point.last_seen_at), aware(at))
    point.updated_at = at


def record_failure(point: ContactPoint, *, at: datetime, reason: str) -> None:
    """Counts a failure: halves the confidence, or marks the point dead."""
    point.failures = (point.failures or 0) + 1
    point.last_failure_at = at
    point.last_failure_reason = reason[:200]
    if reason in DEAD_REASONS or point.failures >= FAILURES_TO_DEAD:
        point.confidence = DEAD
    else:
        # The reference moment stays where it is, so halving the stored value halves today's.
        point.confidence = point.confidence / 2
    point.updated_at = at

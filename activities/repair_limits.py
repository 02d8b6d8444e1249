"""Per-operator rate limits of telecom repair: a thread-safe token bucket each."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """Allows `per_minute` takes a minute on average, at most `per_minute` at once.

    The bucket lives in the worker process, so each worker keeps to the limit on its own;
    the activity threads of one worker share it.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute < 1:
            raise ValueError("an operator's rate limit must allow at least one query a minute")
        self.capacity = float(per_minute)
        self.per_second = per_minute / 60.0
        self.clock = clock
        self._tokens = self.capacity
        self._at = clock()
        self._lock = threading.Lock()

    def try_take(self) -> bool:
        """Takes a token if one is left and tells whether it did; never waits."""
        with self._lock:
            now = self.clock()
            elapsed = max(0.0, now - self._at)
            self._tokens = min(self.capacity, self._tokens + elapsed * self.per_second)
            self._at = now
            if self._tokens < 1.0:
                return False
            self._tokens -= 1.0
            return True

"""The portal's guards: the per-address rate limit and the signed session cookie."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import deque
from collections.abc import Callable

COOKIE_NAME = "songda_portal"
SESSION_SECONDS = 30 * 60
ATTEMPTS_PER_MINUTE = 10
_MAX_TRACKED = 10_000


class RateLimiter:
    """Allows at most `limit` attempts per client address within `window` seconds (in memory)."""

    def __init__(
        self,
        limit: int = ATTEMPTS_PER_MINUTE,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Counts one attempt for key; False when it is over the limit."""
        moment = self._clock()
        with self._lock:
            if len(self._hits) > _MAX_TRACKED:
                self._forget_idle(moment)
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= moment - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(moment)
            return True

    def _forget_idle(self, moment: float) -> None:
        idle = [k for k, hits in self._hits.items() if not hits or hits[-1] <= moment - self.window]
        for key in idle:
            del self._hits[key]


def _signature(secret: str, publication_id: str, expires: int) -> str:
    message = f"portal-session:{publication_id}:{expires}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def session_cookie(secret: str, publication_id: str, now: float | None = None) -> str:
    """Returns a session cookie value bound to one publication, valid for 30 minutes."""
    expires = int((time.time() if now is None else now) + SESSION_SECONDS)
    return f"{publication_id}.{expires}.{_signature(secret, publication_id, expires)}"


def session_valid(
    secret: str, value: str | None, publication_id: str, now: float | None = None
) -> bool:
    """Tells whether a cookie value is a live session for this publication."""
    if not value:
        return False
    parts = value.split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        return False
    owner, expires, signature = parts[0], int(parts[1]), parts[2]
    if owner != publication_id or expires < (time.time() if now is None else now):
        return False
    return hmac.compare_digest(_signature(secret, owner, expires), signature)

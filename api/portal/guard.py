"""The portal's signed session cookie (rate limits and locks: api/portal/attempts.py)."""

from __future__ import annotations

import hashlib
import hmac
import time

COOKIE_NAME = "songda_portal"
SESSION_SECONDS = 30 * 60


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

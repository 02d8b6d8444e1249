"""HMAC-SHA256 signatures over timestamp and body, for provider events and callbacks.

A provider event is signed over `provider.timestamp.body` (the scope is the provider's name),
so a body signed for one provider cannot be replayed under another's path; callbacks to the
case systems are signed over `timestamp.body` (CONTRACT.md).
"""

from __future__ import annotations

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-Songda-Timestamp"
SIGNATURE_HEADER = "X-Songda-Signature"


def sign(secret: str, timestamp: str, body: bytes, scope: str = "") -> str:
    """Returns the hex HMAC-SHA256 of `timestamp.body` (`scope.timestamp.body`) under secret."""
    message = (f"{scope}." if scope else "").encode() + timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str, body: bytes, now: float | None = None, *, scope: str = ""
) -> dict[str, str]:
    """Returns the headers that sign body (for scope, e.g. a provider) at the current time."""
    timestamp = str(int(now if now is not None else time.time()))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(secret, timestamp, body, scope)}


def verify(
    secret: str,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    max_age: int,
    now: float | None = None,
    *,
    scope: str = "",
) -> bool:
    """Tells whether the signature is right and the timestamp fresh (within max_age seconds)."""
    if not timestamp or not signature or not (timestamp.isascii() and timestamp.isdigit()):
        return False
    current = now if now is not None else time.time()
    if not secret or abs(current - int(timestamp)) > max_age:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body, scope), signature)

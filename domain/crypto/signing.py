"""HMAC-SHA256 signatures over timestamp and body, for provider events and callbacks."""

from __future__ import annotations

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-Songda-Timestamp"
SIGNATURE_HEADER = "X-Songda-Signature"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Returns the hex HMAC-SHA256 of `timestamp.body` under secret."""
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    """Returns the headers that sign body at the current time."""
    timestamp = str(int(now if now is not None else time.time()))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(secret, timestamp, body)}


def verify(
    secret: str,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    max_age: int,
    now: float | None = None,
) -> bool:
    """Tells whether the signature is right and the timestamp fresh (within max_age seconds)."""
    if not timestamp or not signature or not (timestamp.isascii() and timestamp.isdigit()):
        return False
    current = now if now is not None else time.time()
    if abs(current - int(timestamp)) > max_age:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)

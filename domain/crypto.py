"""Personal data at rest: AES-256-GCM with key ids (so keys rotate) and keyed blind indexes.

A sealed value reads `v1:<key id>:<base64 nonce+ciphertext>`; any key of the key ring opens it,
new values are sealed with the current key. A blind index is an HMAC of the normalized value,
so equal values can be found without storing them in clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "v1"


class SealError(ValueError):
    """A sealed value is malformed, or sealed with a key the ring does not hold."""


@dataclass(frozen=True)
class KeyRing:
    """Data keys by id; `current` seals, every key opens."""

    keys: dict[str, bytes]
    current: str
    index_key: bytes

    @classmethod
    def from_spec(cls, spec: str, index_key: str) -> KeyRing:
        """Builds the ring from `id1:base64key,id2:base64key` (the first seals)."""
        keys: dict[str, bytes] = {}
        for part in (p.strip() for p in spec.split(",") if p.strip()):
            key_id, _, encoded = part.partition(":")
            key = base64.b64decode(encoded)
            if len(key) != 32 or not key_id:
                raise ValueError("each data key must be `id:<base64 of 32 bytes>`")
            keys[key_id] = key
        if not keys:
            raise ValueError("at least one data key is needed")
        return cls(keys, next(iter(keys)), index_key.encode())

    def seal(self, value: str) -> str:
        """Encrypts value with the current key, bound to its key id."""
        nonce = os.urandom(12)
        sealed = AESGCM(self.keys[self.current]).encrypt(
            nonce, value.encode(), self.current.encode()
        )
        return f"{PREFIX}:{self.current}:{base64.b64encode(nonce + sealed).decode()}"

    def open(self, sealed: str) -> str:
        """Decrypts a sealed value with whichever key sealed it."""
        prefix, key_id, payload = (sealed.split(":", 2) + ["", ""])[:3]
        if prefix != PREFIX or key_id not in self.keys:
            raise SealError("value is not sealed with a known key")
        raw = base64.b64decode(payload)
        try:
            return AESGCM(self.keys[key_id]).decrypt(raw[:12], raw[12:], key_id.encode()).decode()
        except Exception:  # noqa: BLE001 - cryptography raises InvalidTag; name no content
            raise SealError("sealed value fails its integrity check") from None

    def blind_index(self, kind: str, normalized: str) -> str:
        """Returns the keyed hash that finds a value of a kind without storing it."""
        message = f"{kind}:{normalized}".encode()
        return hmac.new(self.index_key, message, hashlib.sha256).hexdigest()


def is_sealed(value: str) -> bool:
    """Tells whether a stored value is sealed (older rows may still be clear)."""
    return value.startswith(f"{PREFIX}:")

"""Personal data at rest: authenticated encryption with key ids (so keys rotate) and blind indexes.

A sealed value reads `<scheme>:<key id>:<base64 nonce+ciphertext>`: scheme `v1` is AES-256-GCM,
`g1` is SM4-GCM (national cryptography). Any key of the ring opens a value under either scheme;
new values are sealed with the current key under the ring's suite. A blind index is an HMAC
(SHA-256, or SM3 under the sm4 suite) of the normalized value, so equal values can be found
without storing them in clear.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "v1"
SCHEMES = {"aes": "v1", "sm4": "g1"}
CIPHERS = {"v1": "aes-256-gcm", "g1": "sm4-gcm"}
NONCE = 12
TAG = 16


class SealError(ValueError):
    """A sealed value is malformed, or sealed with a key the ring does not hold."""


class SuiteUnavailableError(RuntimeError):
    """The chosen crypto suite is unknown, or this OpenSSL build lacks its algorithms."""


def check_suite(suite: str) -> None:
    """Raises SuiteUnavailableError unless OpenSSL can run the suite (aes or sm4) right now."""
    if suite not in SCHEMES:
        raise SuiteUnavailableError(f"SONGDA_CRYPTO_SUITE must be aes or sm4, not {suite!r}")
    if suite == "aes":
        return
    try:
        key = bytes(16)
        _sm4_gcm_encrypt(key, bytes(NONCE), b"probe", b"")
        digest = hashes.Hash(hashes.SM3())
        digest.update(b"abc")
        digest.finalize()
    except Exception as exc:  # noqa: BLE001 - UnsupportedAlgorithm and friends
        raise SuiteUnavailableError(
            "SONGDA_CRYPTO_SUITE=sm4 needs SM4-GCM and SM3 from OpenSSL, and this build lacks "
            f"them ({type(exc).__name__}); use an OpenSSL with SM4/SM3 enabled or the aes suite"
        ) from None


def _sm4_gcm_encrypt(key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    encryptor = Cipher(algorithms.SM4(key[:16]), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _sm4_gcm_decrypt(key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    decryptor = Cipher(algorithms.SM4(key[:16]), modes.GCM(nonce, sealed[-TAG:])).decryptor()
    decryptor.authenticate_additional_data(aad)
    return decryptor.update(sealed[:-TAG]) + decryptor.finalize()


def _encrypt(scheme: str, key: bytes, data: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE)
    if scheme == "g1":
        return nonce + _sm4_gcm_encrypt(key, nonce, data, aad)
    return nonce + AESGCM(key).encrypt(nonce, data, aad)


def _decrypt(scheme: str, key: bytes, raw: bytes, aad: bytes) -> bytes:
    if scheme == "g1":
        return _sm4_gcm_decrypt(key, raw[:NONCE], raw[NONCE:], aad)
    return AESGCM(key).decrypt(raw[:NONCE], raw[NONCE:], aad)


def _parse_keys(spec: str, suite: str) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    sizes = (32,) if suite == "aes" else (16, 32)
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        key_id, _, encoded = part.partition(":")
        key = base64.b64decode(encoded)
        if len(key) not in sizes or not key_id:
            raise ValueError("each data key must be `id:<base64 of 32 bytes>` (sm4: 16 or 32)")
        keys[key_id] = key
    if not keys:
        raise ValueError("at least one data key is needed")
    return keys


@dataclass(frozen=True)
class KeyRing:
    """Data keys by id; `current` seals, every key opens; `suite` picks the algorithms."""

    keys: dict[str, bytes]
    current: str
    index_key: bytes
    suite: str = "aes"

    @classmethod
    def from_spec(cls, spec: str, index_key: str, suite: str = "aes") -> KeyRing:
        """Builds the ring from `id1:base64key,id2:base64key` (the first seals)."""
        check_suite(suite)
        keys = _parse_keys(spec, suite)
        return cls(keys, next(iter(keys)), index_key.encode(), suite)

    @property
    def scheme(self) -> str:
        """Returns the prefix new values are sealed under (v1 AES-256-GCM, g1 SM4-GCM)."""
        return SCHEMES[self.suite]

    def encrypt_bytes(self, data: bytes) -> tuple[str, bytes]:
        """Encrypts bytes with the current key; returns the key id and nonce+ciphertext."""
        return self.current, _encrypt(self.scheme, self.keys[self.current], data, b"")

    def decrypt_bytes(self, key_id: str, raw: bytes, cipher: str = "aes-256-gcm") -> bytes:
        """Decrypts what encrypt_bytes returned, with the key of that id."""
        scheme = {name: prefix for prefix, name in CIPHERS.items()}.get(cipher)
        if scheme is None or key_id not in self.keys:
            raise SealError("payload is not encrypted with a known key and cipher")
        try:
            return _decrypt(scheme, self.keys[key_id], raw, b"")
        except Exception:  # noqa: BLE001 - InvalidTag; name no content
            raise SealError("encrypted payload fails its integrity check") from None

    def encrypt_bound(self, data: bytes, aad: bytes) -> tuple[str, str, bytes]:
        """Encrypts bytes with the current key, bound to aad; returns scheme, key id, nonce+ct."""
        return self.scheme, self.current, _encrypt(self.scheme, self.keys[self.current], data, aad)

    def decrypt_bound(self, scheme: str, key_id: str, raw: bytes, aad: bytes) -> bytes:
        """Decrypts what encrypt_bound returned; SealError when the key or the bytes are wrong."""
        if scheme not in CIPHERS or key_id not in self.keys:
            raise SealError("encrypted with a key this ring does not hold")
        try:
            return _decrypt(scheme, self.keys[key_id], raw, aad)
        except Exception:  # noqa: BLE001 - InvalidTag; name no content
            raise SealError("encrypted bytes fail their integrity check") from None

    def seal(self, value: str) -> str:
        """Encrypts value with the current key, bound to its key id."""
        raw = _encrypt(self.scheme, self.keys[self.current], value.encode(), self.current.encode())
        return f"{self.scheme}:{self.current}:{base64.b64encode(raw).decode()}"

    def open(self, sealed: str) -> str:
        """Decrypts a sealed value with whichever key sealed it."""
        prefix, key_id, payload = (sealed.split(":", 2) + ["", ""])[:3]
        if prefix not in CIPHERS or key_id not in self.keys:
            raise SealError("value is not sealed with a known key")
        try:
            raw = base64.b64decode(payload)
            return _decrypt(prefix, self.keys[key_id], raw, key_id.encode()).decode()
        except Exception:  # noqa: BLE001 - cryptography raises InvalidTag; name no content
            raise SealError("sealed value fails its integrity check") from None

    def blind_index(self, kind: str, normalized: str) -> str:
        """Returns the keyed hash that finds a value of a kind without storing it."""
        message = f"{kind}:{normalized}".encode()
        if self.suite == "sm4":
            mac = crypto_hmac.HMAC(self.index_key, hashes.SM3())
            mac.update(message)
            return mac.finalize().hex()
        return hmac.new(self.index_key, message, hashlib.sha256).hexdigest()


def is_sealed(value: str) -> bool:
    """Tells whether a stored value is sealed (older rows may still be clear)."""
    return value[:3] in {f"{prefix}:" for prefix in CIPHERS}


def key_id_of(sealed: str) -> str:
    """Returns the id of the key a sealed value was sealed with."""
    return sealed.split(":", 2)[1]

"""Password hashes: argon2id for new ones; old scrypt hashes still verify until rehashed."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's defaults (RFC 9106 low-memory profile: argon2id, 64 MiB, 3 passes).
_HASHER = PasswordHasher()
# The scrypt parameters of the hashes written before argon2.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
# Verified against when the user is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("songda-no-such-user")


def hash_password(password: str) -> str:
    """Returns the argon2id hash of a password (PHC string format)."""
    return _HASHER.hash(password)


def _check_scrypt(password: str, stored: str) -> bool:
    _, _, rest = stored.partition("$")
    salt_hex, _, digest_hex = rest.partition("$")
    if not salt_hex or not digest_hex:
        return False
    try:
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return secrets.compare_digest(digest.hex(), digest_hex)


def check_password(password: str, stored: str) -> bool:
    """Tells whether a password matches its stored hash (argon2, or legacy scrypt)."""
    if stored.startswith("scrypt$"):
        return _check_scrypt(password, stored)
    if not stored.startswith("$argon2"):
        return False
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Tells whether a verified hash should be replaced (legacy scheme or weaker parameters)."""
    return not stored.startswith("$argon2") or _HASHER.check_needs_rehash(stored)


def burn_time(password: str) -> None:
    """Spends one verification's time, so unknown users answer as slowly as known ones."""
    check_password(password, _DUMMY_HASH)

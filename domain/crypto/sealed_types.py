"""Column types that seal personal data at rest, so the rest of the code reads plain values.

The key ring is installed once per process at start-up (app, worker, portal, CLI, tests) with
install_ring(settings.key_ring); a sealed column touched before that raises RingMissingError.
Values written before migration 0007 (clear text) still read; `songda keys rotate` seals them.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Dialect, Text
from sqlalchemy.types import TypeDecorator

from domain.crypto.keyring import KeyRing, is_sealed


class RingMissingError(RuntimeError):
    """A sealed column was read or written before the process installed its key ring."""


_ring: KeyRing | None = None


def install_ring(ring: KeyRing) -> None:
    """Installs the process's data key ring for every sealed column."""
    global _ring  # noqa: PLW0603 - one ring per process, set at start-up
    _ring = ring


def installed_ring() -> KeyRing:
    """Returns the installed key ring, or raises RingMissingError naming the fix."""
    if _ring is None:
        raise RingMissingError(
            "no data key ring installed: call domain.crypto.sealed_types.install_ring("
            "settings.key_ring) at start-up (SONGDA_DATA_KEYS, SONGDA_INDEX_KEY)"
        )
    return _ring


class SealedText(TypeDecorator[str]):
    """A string sealed with the current data key; read back in clear."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        """Seals the value on its way to the database."""
        return None if value is None else installed_ring().seal(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        """Opens a sealed value; a clear one (older rows) passes as it is."""
        if value is None or not is_sealed(value):
            return value
        return installed_ring().open(value)


class SealedJSON(TypeDecorator[Any]):
    """A JSON value (list or object) sealed as one text; read back as the value."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        """Serializes and seals the value."""
        if value is None:
            return None
        return installed_ring().seal(json.dumps(value, ensure_ascii=False))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        """Opens and parses the value; clear JSON (older rows) parses as it is."""
        if value is None:
            return None
        return json.loads(installed_ring().open(value) if is_sealed(value) else value)

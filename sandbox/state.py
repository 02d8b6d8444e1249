"""Thread-safe in-memory records of what the sandbox was asked to do."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

Item = dict[str, Any]
KINDS = (
    "sms",
    "sms_refused",
    "email",
    "post",
    "notices",
    "repairs",
    "callbacks",
    "operator_outages",
)


class Records:
    """Lists of items per kind, oldest first, and the idempotency index by reference."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, list[Item]] = {kind: [] for kind in KINDS}
        self._by_reference: dict[tuple[str, str], Item] = {}

    def add(self, kind: str, item: Item) -> Item:
        """Records an item and returns a copy of it."""
        with self._lock:
            self._items[kind].append(item)
            return copy.deepcopy(item)

    def add_once(self, kind: str, reference: str, make: Callable[[], Item]) -> tuple[Item, bool]:
        """Records make() unless reference was seen; returns the item and whether it was seen."""
        with self._lock:
            known = self._by_reference.get((kind, reference))
            if known is not None:
                return copy.deepcopy(known), True
            item = make()
            self._items[kind].append(item)
            self._by_reference[(kind, reference)] = item
            return copy.deepcopy(item), False

    def update(self, kind: str, key: str, value: Any, change: Callable[[Item], None]) -> None:
        """Applies change to every item of kind whose key field equals value."""
        with self._lock:
            for item in self._items[kind]:
                if item.get(key) == value:
                    change(item)

    def find(self, kind: str, key: str, value: Any) -> Item | None:
        """Returns a copy of the first item of kind whose key field equals value."""
        with self._lock:
            for item in self._items[kind]:
                if item.get(key) == value:
                    return copy.deepcopy(item)
        return None

    def count(self, kind: str, key: str, value: Any) -> int:
        """Counts the items of kind whose key field equals value."""
        with self._lock:
            return sum(1 for item in self._items[kind] if item.get(key) == value)

    def items(self, kind: str, match: Callable[[Item], bool] | None = None) -> list[Item]:
        """Returns copies of the items of kind, newest first, optionally filtered."""
        with self._lock:
            chosen = [item for item in self._items[kind] if match is None or match(item)]
            return copy.deepcopy(chosen[::-1])

    def clear(self) -> None:
        """Forgets everything."""
        with self._lock:
            for items in self._items.values():
                items.clear()
            self._by_reference.clear()

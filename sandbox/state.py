"""Thread-safe records of what the sandbox was asked to do, optionally kept in a journal.

A real provider remembers what it accepted across its own restarts; with a journal file the
sandbox does too, so a killed sandbox neither forgets its idempotency keys nor its counts.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

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
    "channel_faults",
    "accepted",
)


class Records:
    """Lists of items per kind, oldest first, and the idempotency index by reference."""

    def __init__(self, journal: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, list[Item]] = {kind: [] for kind in KINDS}
        self._by_reference: dict[tuple[str, str], Item] = {}
        self._journal: TextIO | None = None
        if journal is not None:
            journal.parent.mkdir(parents=True, exist_ok=True)
            if journal.exists():
                self._replay(journal)
            self._journal = journal.open("a", encoding="utf-8")

    def _replay(self, journal: Path) -> None:
        for line in journal.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a line cut short by a kill: the entry never counted
            items = self._items[entry["kind"]]
            if entry["op"] == "add":
                items.append(entry["item"])
                if entry.get("reference") is not None:
                    self._by_reference[(entry["kind"], entry["reference"])] = entry["item"]
            elif entry["op"] == "put" and entry["index"] < len(items):
                items[entry["index"]].clear()
                items[entry["index"]].update(entry["item"])
            elif entry["op"] == "clear":
                for kind_items in self._items.values():
                    kind_items.clear()
                self._by_reference.clear()

    def _write(self, entry: dict[str, Any]) -> None:
        if self._journal is not None:
            self._journal.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
            self._journal.flush()  # in the OS's hands: survives a killed process

    def add(self, kind: str, item: Item) -> Item:
        """Records an item and returns a copy of it."""
        with self._lock:
            self._items[kind].append(item)
            self._write({"op": "add", "kind": kind, "item": item})
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
            self._write({"op": "add", "kind": kind, "item": item, "reference": reference})
            return copy.deepcopy(item), False

    def update(self, kind: str, key: str, value: Any, change: Callable[[Item], None]) -> None:
        """Applies change to every item of kind whose key field equals value."""
        with self._lock:
            for index, item in enumerate(self._items[kind]):
                if item.get(key) == value:
                    change(item)
                    self._write({"op": "put", "kind": kind, "index": index, "item": item})

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
            self._write({"op": "clear", "kind": "sms"})

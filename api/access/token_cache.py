"""A short-lived cache of case systems' bearer tokens, so intake skips the token's look-up.

Entries are keyed by the token's SHA-256 (the token itself is never kept) and live
CACHE_SECONDS; the token's expiry is checked on every hit. A revocation made through this
process (revoke_tokens, also behind disable_user; a route or a command) drops the user's
entries when it commits, so the token stops working here at once; one made by another process
(the CLI on the host, another API replica) takes effect here within CACHE_SECONDS.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, make_transient_to_detached

from domain.tables.core import User

# Only the case system calls often enough for its look-up to matter (every submission).
CACHED_ROLES = frozenset({"case_system"})
CACHE_SECONDS = 5.0
MAX_ENTRIES = 1024
# Session.info key: users whose tokens this transaction revoked.
REVOKED_USERS = "songda.access.revoked_users"

USER_COLUMNS = [column.key for column in User.__mapper__.column_attrs]


@dataclass(frozen=True)
class _Entry:
    user: dict[str, Any]
    expires_at: datetime | None
    cached_at: float


# Every cache of this process, so a revocation committed by any session here (a route, a CLI
# command run in-process) reaches them all.
_CACHES: weakref.WeakSet[TokenCache] = weakref.WeakSet()


def note_revoked(session: Session, user_id: str) -> None:
    """Marks a user's tokens revoked in the session's transaction: when it commits, every cache
    of the process forgets the user."""
    revoked: set[str] = session.info.setdefault(REVOKED_USERS, set())
    if not revoked:
        event.listen(session, "after_commit", _forget_revoked, once=True)
    revoked.add(user_id)


def _forget_revoked(session: Session) -> None:
    revoked = session.info.pop(REVOKED_USERS, None)
    if revoked:
        for cache in list(_CACHES):
            cache.forget_users(revoked)


class TokenCache:
    """Users by token hash, for a few seconds; thread-safe (routes run in a thread pool)."""

    def __init__(self, seconds: float = CACHE_SECONDS, max_entries: int = MAX_ENTRIES) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self._generation = 0
        _CACHES.add(self)

    @property
    def generation(self) -> int:
        """Counts revocations seen; a look-up started before one is not cached."""
        return self._generation

    def get(self, token_sha256: str) -> User | None:
        """Returns a detached copy of the token's user, or None when not cached or stale."""
        entry = self._entries.get(token_sha256)
        if entry is None:
            return None
        fresh = time.monotonic() - entry.cached_at < self.seconds
        live = entry.expires_at is None or entry.expires_at > datetime.now(UTC)
        if not (fresh and live):
            with self._lock:
                self._entries.pop(token_sha256, None)
            return None
        user = User(**entry.user)
        make_transient_to_detached(user)  # a copy per call: nothing shared between sessions
        return user

    def put(
        self, token_sha256: str, user: User, expires_at: datetime | None, generation: int
    ) -> None:
        """Caches a live token's user, unless a revocation came since the look-up began."""
        if user.role not in CACHED_ROLES or self.seconds <= 0:
            return
        columns = {name: getattr(user, name) for name in USER_COLUMNS}
        with self._lock:
            if generation != self._generation:
                return
            if len(self._entries) >= self.max_entries:
                self._entries.pop(next(iter(self._entries)))  # the oldest
            self._entries[token_sha256] = _Entry(columns, expires_at, time.monotonic())

    def forget_users(self, user_ids: set[str]) -> None:
        """Drops every entry of these users and refuses look-ups already under way."""
        with self._lock:
            self._generation += 1
            for key in [k for k, e in self._entries.items() if e.user["id"] in user_ids]:
                del self._entries[key]

"""Key rotation: re-seals every sealed column with the ring's current key.

A value sealed under an older key id (or still clear, from before migration 0007) is opened and
sealed again; values already under the current key are left alone, so a rotation that stops
half-way simply runs again. Sealed values inside a sealed JSON list (repaired numbers) are
re-sealed too.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from domain.crypto.keyring import KeyRing, is_sealed, key_id_of

# (table, column, holds JSON): every column that holds a sealed value.
SEALED_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("parties", "name", False),
    ("parties", "id_number", False),
    ("parties", "credit_code", False),
    ("parties", "licence_number", False),
    ("parties", "phones", True),
    ("parties", "emails", True),
    ("parties", "addresses", True),
    ("parties", "repaired_phones", True),
    ("users", "phone", False),
    ("work_orders", "note", False),
    ("party_identities", "name_sealed", False),
    ("contact_points", "value_sealed", False),
)


def _reseal_inner(ring: KeyRing, value: Any) -> Any:
    if isinstance(value, list):
        return [_reseal_inner(ring, item) for item in value]
    if isinstance(value, str) and is_sealed(value) and key_id_of(value) != ring.current:
        return ring.seal(ring.open(value))
    return value


def _resealed(ring: KeyRing, stored: str, is_json: bool) -> str | None:
    """Returns the value sealed with the current key, or None when nothing changes."""
    clear = ring.open(stored) if is_sealed(stored) else stored
    if is_json:
        inner = json.loads(clear)
        fresh = _reseal_inner(ring, inner)
        if fresh != inner or not is_sealed(stored) or key_id_of(stored) != ring.current:
            return ring.seal(json.dumps(fresh, ensure_ascii=False))
        return None
    if is_sealed(stored) and key_id_of(stored) == ring.current:
        return None
    return ring.seal(clear)


def rotate_column(session: Session, ring: KeyRing, table: str, column: str, is_json: bool) -> int:
    """Re-seals one column's values with the current key; returns how many changed."""
    rows = session.execute(text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL"))
    changed = 0
    for row_id, stored in list(rows):
        fresh = _resealed(ring, str(stored), is_json)
        if fresh is not None:
            update = text(f"UPDATE {table} SET {column} = :value WHERE id = :id")
            session.execute(update, {"value": fresh, "id": row_id})
            changed += 1
    return changed


def rotate_all(session: Session, ring: KeyRing) -> Counter[str]:
    """Re-seals every sealed column, committing per column; returns the changes per column."""
    changes: Counter[str] = Counter()
    for table, column, is_json in SEALED_COLUMNS:
        changes[f"{table}.{column}"] = rotate_column(session, ring, table, column, is_json)
        session.commit()
    return changes


def rotate_portal_targets(session: Session, master: KeyRing, portal: KeyRing) -> int:
    """Re-seals the portal's code targets under the portal's current key (those sealed with
    the master keys before the portal had its own, or clear, move over); returns how many."""
    rows = session.execute(
        text("SELECT id, otp_target FROM portal_publications WHERE otp_target IS NOT NULL")
    )
    changed = 0
    for row_id, stored in list(rows):
        value = str(stored)
        if is_sealed(value) and key_id_of(value) == portal.current:
            continue
        if not is_sealed(value):
            clear = value
        elif key_id_of(value) in portal.keys:
            clear = portal.open(value)
        else:
            clear = master.open(value)
        update = text("UPDATE portal_publications SET otp_target = :value WHERE id = :id")
        session.execute(update, {"value": portal.seal(clear), "id": row_id})
        changed += 1
    session.commit()
    return changed


def keys_in_use(session: Session) -> Counter[str]:
    """Counts the stored sealed values per key id (and `clear` for values not sealed)."""
    counts: Counter[str] = Counter()
    for table, column, _ in SEALED_COLUMNS:
        for (stored,) in session.execute(
            text(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL")
        ):
            counts[key_id_of(stored) if is_sealed(str(stored)) else "clear"] += 1
    targets = text("SELECT otp_target FROM portal_publications WHERE otp_target IS NOT NULL")
    for (stored,) in session.execute(targets):
        counts["portal:" + (key_id_of(stored) if is_sealed(str(stored)) else "clear")] += 1
    return counts

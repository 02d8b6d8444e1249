"""What a failed call or a number given on the phone teaches the address book."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from domain.address_book.confidence import DEAD, record_failure
from domain.address_book.points import identity_of, normalize_value, party_values, upsert_point
from domain.crypto.keyring import KeyRing
from domain.tables.core import Party, WorkOrder, utcnow

# Outcomes that fail the numbers the clerk called; a wrong number is dead at once.
PHONE_FAILURES = frozenset({"wrong_number", "unreachable"})


def record_phone_failure(
    session: Session, ring: KeyRing, party: Party, order: WorkOrder, *, keep: str | None
) -> None:
    """Counts a failure on each number the clerk called (not the one the party just gave)."""
    identity = identity_of(session, ring=ring, party=party)
    if identity is None:
        return
    at = order.closed_at or utcnow()
    outcome = order.outcome or ""
    kept = normalize_value("phone", keep) if keep else None
    for value, source in party_values(party, "phone", ring):
        if normalize_value("phone", value) == kept:
            continue
        point = upsert_point(
            session, ring=ring, identity=identity, kind="phone", value=value, source=source, now=at
        )
        record_failure(point, at=at, reason=outcome)
        if outcome == "wrong_number":
            # Someone else's number: no later case should try it again.
            point.confidence = DEAD


def record_new_phone(
    session: Session, ring: KeyRing, party: Party, value: str, at: datetime | None
) -> None:
    """Enters a number the party gave the clerk into its address book, for later cases too."""
    identity = identity_of(session, ring=ring, party=party)
    if identity is None:
        return
    upsert_point(
        session,
        ring=ring,
        identity=identity,
        kind="phone",
        value=value,
        source="clerk",
        now=at or utcnow(),
    )

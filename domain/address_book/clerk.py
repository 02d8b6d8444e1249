"""What a clerk's recorded call tells the address book: a consent, an address, or a failure."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from domain.address_book.confidence import record_failure
from domain.address_book.points import identity_of, party_values, submitted_values, upsert_point
from domain.address_book.records import add_confirmation, add_consent
from domain.crypto.keyring import KeyRing
from domain.pure.consent import Mark
from domain.tables.core import Party, WorkOrder, utcnow

# A consent or confirmation on a recorded call binds this case only.
CALL = Mark("recorded_call", "case")
CLERK_OUTCOMES = frozenset(
    {"reached_consented", "reached_address_confirmed", "wrong_number", "unreachable"}
)


def record_clerk_outcome(
    session: Session,
    *,
    ring: KeyRing,
    party: Party,
    order: WorkOrder,
    case_number: str,
    now: datetime | None = None,
) -> None:
    """Stores what a clerk's call established: a consent, a confirmed address, or a failure."""
    outcome = order.outcome or ""
    if outcome not in CLERK_OUTCOMES:
        return
    at = now or utcnow()
    identity = identity_of(session, ring=ring, party=party, now=at)
    if identity is None:
        return
    if outcome == "reached_address_confirmed":
        addresses = submitted_values(party, "address")
        if addresses:
            point = upsert_point(
                session,
                ring=ring,
                identity=identity,
                kind="address",
                value=addresses[-1],
                source="clerk",
                now=at,
            )
            add_confirmation(
                session,
                identity=identity,
                point=point,
                case_number=case_number,
                evidence=f"confirmed on a recorded call, work order {order.id}",
                at=at,
                mark=CALL,
                court_code=order.court_code,
            )
        return
    phones = [
        upsert_point(session, ring=ring, identity=identity, kind="phone", value=v, source=s, now=at)
        for v, s in party_values(party, "phone", ring)
    ]
    if outcome == "reached_consented":
        add_consent(
            session,
            identity=identity,
            kind="clerk_recorded",
            points=phones,
            case_number=case_number,
            evidence=f"recorded call, work order {order.id}",
            at=at,
            mark=CALL,
            court_code=order.court_code,
        )
        return
    for point in phones:
        record_failure(point, at=at, reason=outcome)

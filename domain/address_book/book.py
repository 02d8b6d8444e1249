"""The address book: what songda knows of a party across cases, sealed and found by blind index.

A party is linked to its identity (person, organization or lawyer) by the keyed hash of its
identity number. Each phone, e-mail and address it was ever given or reached at is a contact
point with its source, successes, failures and a confidence that fades with age
(`domain.address_book.confidence`); consents and address confirmations are kept with their
case and evidence. Clear values exist only sealed; the plan sees masked labels, and a value the
request did not carry is copied into `Party.learned` so workflows can name it by index.

Every function runs inside the caller's transaction and never commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.address_book.clerk import record_clerk_outcome
from domain.address_book.confidence import (
    HALF_LIFE_DAYS,
    aware,
    confidence_now,
    record_failure,
    record_success,
)
from domain.address_book.learn import learn_from_task, parse_reference
from domain.address_book.points import (
    KINDS,
    find_identity,
    identity_key,
    identity_of,
    normalize_value,
    open_value,
    resolve_identity,
    submitted_values,
    upsert_point,
)
from domain.address_book.records import (
    add_confirmation,
    add_consent,
    beijing_date,
    confirmed_point_ids,
    consented_point_ids,
    newest_consent,
)
from domain.crypto.keyring import KeyRing
from domain.pure.plan_facts import KnownContact
from domain.tables.core import ContactPoint, Party, utcnow

__all__ = [
    "HALF_LIFE_DAYS",
    "confidence_now",
    "consent_on_record",
    "identity_key",
    "known_contacts",
    "learn_from_task",
    "parse_reference",
    "record_clerk_outcome",
    "record_failure",
    "record_success",
    "remember_submitted",
    "resolve_identity",
]

SUBMITTED_SCOPE = "electronic service at the listed addresses"


def remember_submitted(
    session: Session,
    *,
    ring: KeyRing,
    party: Party,
    case_number: str,
    now: datetime | None = None,
) -> None:
    """Stores the request's contacts, its consent and its address confirmation in the book."""
    at = now or utcnow()
    identity = identity_of(session, ring=ring, party=party, now=at)
    if identity is None:
        return
    electronic = [
        upsert_point(
            session, ring=ring, identity=identity, kind=kind, value=v, source="submitted", now=at
        )
        for kind in ("phone", "email")
        for v in submitted_values(party, kind)
    ]
    address_source = "confirmed" if party.address_confirmed else "submitted"
    addresses = [
        upsert_point(
            session,
            ring=ring,
            identity=identity,
            kind="address",
            value=v,
            source=address_source,
            now=at,
        )
        for v in submitted_values(party, "address")
    ]
    if party.consent_electronic:
        add_consent(
            session,
            identity=identity,
            kind="submitted",
            scope=SUBMITTED_SCOPE,
            points=electronic,
            case_number=case_number,
            evidence="submitted by the case system",
            at=at,
        )
    if party.address_confirmed:
        for point in addresses:
            add_confirmation(
                session,
                identity=identity,
                point=point,
                case_number=case_number,
                evidence="address confirmation submitted by the case system",
                at=at,
            )


def known_contacts(
    session: Session, *, ring: KeyRing, party: Party, now: datetime
) -> tuple[KnownContact, ...]:
    """Returns what the book knows of the party's contacts; copies the others into learned."""
    identity = find_identity(session, ring=ring, party=party)
    if identity is None:
        return ()
    query = (
        select(ContactPoint)
        .where(ContactPoint.identity_id == identity.id)
        .order_by(ContactPoint.first_seen_at, ContactPoint.id)
    )
    consented = consented_point_ids(session, identity.id)
    confirmed = confirmed_point_ids(session, identity.id)
    learned = {str(k): list(v) for k, v in (party.learned or {}).items()}
    found: list[KnownContact] = []
    for point in session.scalars(query):
        value = open_value(ring, point)
        if value is None or point.kind not in KINDS:
            continue
        submitted = [normalize_value(point.kind, v) for v in submitted_values(party, point.kind)]
        wanted = normalize_value(point.kind, value)
        in_request = wanted in submitted
        index = submitted.index(wanted) if in_request else _learned_index(learned, point, value)
        found.append(_known(point, now, index, in_request, point.id in consented, confirmed))
    if learned != (party.learned or {}):
        party.learned = learned  # a new dict, so SQLAlchemy sees the JSON change
    return tuple(sorted(found, key=lambda c: (KINDS.index(c.kind), -c.confidence, c.index)))


def _learned_index(learned: dict[str, list[object]], point: ContactPoint, value: str) -> int:
    pool = learned.setdefault(point.kind, [])
    wanted = normalize_value(point.kind, value)
    for index, existing in enumerate(pool):
        if normalize_value(point.kind, str(existing)) == wanted:
            return index
    pool.append(value)
    return len(pool) - 1


def _known(
    point: ContactPoint,
    now: datetime,
    index: int,
    in_request: bool,
    consented: bool,
    confirmed: set[str],
) -> KnownContact:
    return KnownContact(
        kind=point.kind,
        label=point.label,
        source=point.source,
        confidence=round(confidence_now(point, now), 3),
        index=index,
        in_request=in_request,
        last_success_case=point.last_success_case or "",
        last_success_on=beijing_date(point.last_success_at) if point.last_success_at else "",
        last_failure_reason=point.last_failure_reason or "",
        failures=point.failures,
        consented=consented and point.kind in ("phone", "email"),
        confirmed_address=point.id in confirmed and point.kind == "address",
    )


def consent_on_record(session: Session, *, ring: KeyRing, party: Party) -> str:
    """Returns "YYYY-MM-DD, <case number>" of the party's newest consent on record, or ""."""
    identity = find_identity(session, ring=ring, party=party)
    record = newest_consent(session, identity.id) if identity is not None else None
    if record is None:
        return ""
    return f"{beijing_date(aware(record.at))}, {record.case_number}"

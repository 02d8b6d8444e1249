"""The address book's rows: identities and contact points, found by blind index, never by value.

Values are sealed with the key ring; equal values are found through the keyed hash of their
normalized form. Rows are created with INSERT ... ON CONFLICT DO NOTHING and then read back, so
two tasks of one identity racing to create the same row both end with the same row instead of
one failing its transaction (which would cost the trail write it shares).
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from domain.address_book.confidence import START_CONFIDENCE, aware
from domain.crypto.keyring import KeyRing, SealError
from domain.identity import (
    InvalidIdentity,
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
)
from domain.pure.masking import mask_address, mask_email, mask_phone
from domain.store.contacts import repaired_numbers
from domain.tables.core import ContactPoint, Party, PartyIdentity, new_id, utcnow

log = structlog.get_logger(__name__)

KINDS = ("phone", "email", "address")

# Where a value came from, weakest first: an upsert never steps a point's source down.
SOURCE_RANK = ("postal_return", "observed", "repaired", "submitted", "clerk", "confirmed")

_MASKS = {"phone": mask_phone, "email": mask_email, "address": mask_address}


def _compact(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).split())


def normalize_value(kind: str, value: str) -> str:
    """Returns the form a value is indexed by: bare mobile, lower-case e-mail, unspaced address."""
    if kind == "phone":
        try:
            return normalize_mobile(value)
        except InvalidIdentity:
            return _compact(value).replace("-", "")
    if kind == "email":
        return _compact(value).lower()
    return _compact(value)


def stored_value(kind: str, value: str) -> str:
    """Returns what the book seals: the normalized mobile or e-mail, the address as written."""
    return value.strip() if kind == "address" else normalize_value(kind, value)


def label_of(kind: str, value: str) -> str:
    """Returns the masked label of a value, as plans and pages show it."""
    return _MASKS[kind](stored_value(kind, value))


def value_index(ring: KeyRing, kind: str, value: str) -> str:
    """Returns the blind index that finds a value of a kind."""
    return ring.blind_index(kind, normalize_value(kind, value))


def identity_key(party: Party) -> tuple[str, str] | None:
    """Returns the party's normalized identity number and its index kind, or None."""
    try:
        if party.kind == "person" and party.id_number:
            return "id", normalize_id_number(party.id_number)
        if party.kind == "organization" and party.credit_code:
            return "uscc", normalize_credit_code(party.credit_code)
    except InvalidIdentity:
        return None  # an unverifiable number must not merge two people
    if party.kind == "lawyer" and party.licence_number:
        digits = "".join(c for c in _compact(party.licence_number) if c.isdigit())
        return ("lawyer", digits) if digits else None
    return None


def insert_ignoring_conflict(
    session: Session, entity: type[Any], values: dict[str, Any], keys: list[str]
) -> None:
    """Inserts a row unless one with the same unique keys exists (PostgreSQL or SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            pg_insert(entity).values(**values).on_conflict_do_nothing(index_elements=keys)
        )
    else:
        session.execute(
            sqlite_insert(entity).values(**values).on_conflict_do_nothing(index_elements=keys)
        )


def _locked_identity(session: Session, blind_index: str) -> PartyIdentity | None:
    # FOR UPDATE on the identity row serializes every book write about one identity (one lock,
    # so no deadlock); SQLite ignores it and serializes writers anyway.
    query = select(PartyIdentity).where(PartyIdentity.blind_index == blind_index)
    return session.scalars(query.with_for_update()).one_or_none()


def find_identity(session: Session, *, ring: KeyRing, party: Party) -> PartyIdentity | None:
    """Returns the party's identity if the book knows it, without creating it."""
    if party.identity_id:
        return session.get(PartyIdentity, party.identity_id)
    key = identity_key(party)
    if key is None:
        return None
    query = select(PartyIdentity).where(PartyIdentity.blind_index == ring.blind_index(*key))
    return session.scalars(query).one_or_none()


def resolve_identity(
    session: Session, *, ring: KeyRing, party: Party, now: datetime | None = None
) -> PartyIdentity | None:
    """Finds the party's identity by blind index or creates it, and links the party to it."""
    key = identity_key(party)
    if key is None:
        return None
    at = now or utcnow()
    index = ring.blind_index(*key)
    values = {
        "id": new_id(),
        "kind": party.kind,
        "blind_index": index,
        "name_sealed": ring.seal(party.name),
        "created_at": at,
        "last_seen_at": at,
    }
    insert_ignoring_conflict(session, PartyIdentity, values, ["blind_index"])
    identity = _locked_identity(session, index)
    if identity is None:
        raise LookupError("party identity vanished right after it was stored; retry")
    if _name_of(ring, identity) != party.name:
        identity.name_sealed = ring.seal(party.name)
    identity.last_seen_at = max(aware(identity.last_seen_at), aware(at))
    party.identity_id = identity.id
    return identity


def _name_of(ring: KeyRing, identity: PartyIdentity) -> str | None:
    try:
        return ring.open(identity.name_sealed)
    except SealError:
        return None  # sealed with a retired key: sealing it again with the current one


def identity_of(
    session: Session, *, ring: KeyRing, party: Party, now: datetime | None = None
) -> PartyIdentity | None:
    """Returns the party's identity, locked for this transaction, resolving it when unlinked."""
    if party.identity_id is None:
        return resolve_identity(session, ring=ring, party=party, now=now)
    query = select(PartyIdentity).where(PartyIdentity.id == party.identity_id)
    return session.scalars(query.with_for_update()).one_or_none()


def upsert_point(
    session: Session,
    *,
    ring: KeyRing,
    identity: PartyIdentity,
    kind: str,
    value: str,
    source: str,
    now: datetime,
) -> ContactPoint:
    """Returns the identity's point for a value, created when new; marks it seen at now."""
    index = value_index(ring, kind, value)
    values = {
        "id": new_id(),
        "identity_id": identity.id,
        "kind": kind,
        "value_sealed": ring.seal(stored_value(kind, value)),
        "value_index": index,
        "label": label_of(kind, value),
        "source": source,
        "first_seen_at": now,
        "last_seen_at": now,
        "successes": 0,
        "failures": 0,
        "confidence": START_CONFIDENCE.get(source, 0.5),
        "updated_at": now,
    }
    insert_ignoring_conflict(session, ContactPoint, values, ["identity_id", "kind", "value_index"])
    query = select(ContactPoint).where(
        ContactPoint.identity_id == identity.id,
        ContactPoint.kind == kind,
        ContactPoint.value_index == index,
    )
    point = session.scalars(query).one()
    if _rank(source) > _rank(point.source):
        point.source = source
    point.last_seen_at = max(aware(point.last_seen_at), aware(now))
    return point


def _rank(source: str) -> int:
    return SOURCE_RANK.index(source) if source in SOURCE_RANK else -1


def open_value(ring: KeyRing, point: ContactPoint) -> str | None:
    """Returns the point's clear value, or None when no key of the ring opens it."""
    try:
        return ring.open(point.value_sealed)
    except SealError:
        log.warning("address_book.unreadable_point", point_id=point.id)
        return None


def submitted_values(party: Party, kind: str) -> list[str]:
    """Returns the party's values of a kind as submitted in this request, in their order."""
    pool: list[Any] = {"phone": party.phones, "email": party.emails, "address": party.addresses}[
        kind
    ]
    return [str(v["text"]) if isinstance(v, dict) else str(v) for v in pool or []]


def party_values(party: Party, kind: str, ring: KeyRing) -> list[tuple[str, str]]:
    """Returns each distinct value of a kind the party's record holds, with its point source."""
    pools = [(submitted_values(party, kind), "submitted")]
    if kind == "phone":
        try:
            pools.append((repaired_numbers(party, ring), "repaired"))
        except SealError:
            pass  # sealed with a retired key: the book cannot use them, the trail must not fail
    pools.append(([str(v) for v in (party.learned or {}).get(kind, [])], "observed"))
    found: dict[str, tuple[str, str]] = {}
    for values, source in pools:
        for value in values:
            found.setdefault(normalize_value(kind, value), (value, source))
    return list(found.values())

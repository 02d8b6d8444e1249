"""What the book learns from a task: receipts of its attempts and the clerk's or bailiff's word.

Runs in the transaction that writes the trail event (or closes the work order), so the book and
the legal record never disagree. An attempt once counted carries `detail["learned"]`, so a
second call (a later step, the task's end) never counts it twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.address_book.confidence import aware, record_failure, record_success
from domain.address_book.points import identity_of, label_of, party_values, upsert_point
from domain.address_book.records import consented_point_ids
from domain.crypto.keyring import KeyRing, SealError
from domain.pure.ladder import Contact
from domain.store.contacts import UnknownContactError, contact_value, covered
from domain.tables.core import (
    Attempt,
    ContactPoint,
    Party,
    PartyIdentity,
    PortalPublication,
    PortalReceipt,
    ServiceRequest,
    ServiceTask,
    TimelineEvent,
)

# `<task>:<step>:<attempt>:<kind><index><source initial>`; flash reminders (`…:flash`), notices
# and repair questions do not match: they say nothing about a contact point of the party.
_REFERENCE = re.compile(
    r"[^:]+:(?P<step>[a-z_]+):(?P<attempt>\d+):(?P<kind>phone|email|address)(?P<index>\d+)"
    r"(?P<source>[a-z])"
)
CONTACT_SOURCES = {"s": "submitted", "r": "repaired", "b": "book", "c": "clerk"}
POINT_SOURCES = {"s": "submitted", "r": "repaired", "b": "observed", "c": "clerk"}

# The party (or its household) took the documents or refused them at the address: it is theirs.
SUCCEEDED = frozenset({"confirmed", "signed", "refused"})
FAILED = frozenset({"undeliverable", "bounced", "returned"})
RETURN_REASONS = frozenset(
    {"no_such_recipient", "address_unknown", "moved_unknown", "nobody_at_address", "unclaimed"}
)


@dataclass(frozen=True)
class AttemptRef:
    """What an attempt's idempotency key says: rung, try, and which contact of the party."""

    step: str
    attempt: int
    kind: str
    index: int
    source: str  # the initial: s, r, b or c


def parse_reference(key: str) -> AttemptRef | None:
    """Returns the parts of an attempt's idempotency key, or None for other references."""
    match = _REFERENCE.fullmatch(key)
    if match is None:
        return None
    return AttemptRef(
        match["step"], int(match["attempt"]), match["kind"], int(match["index"]), match["source"]
    )


def learn_from_task(session: Session, *, ring: KeyRing, task: ServiceTask, now: datetime) -> int:
    """Counts the task's settled attempts and in-person service in the book; returns how many."""
    party = task.party
    identity = identity_of(session, ring=ring, party=party, now=now)
    if identity is None:
        return 0
    request = session.get_one(ServiceRequest, task.request_id)
    case_number = request.case_number
    query = (
        select(Attempt).where(Attempt.task_id == task.id).order_by(Attempt.created_at, Attempt.id)
    )
    attempts = list(session.scalars(query))
    in_portal = _confirmed_in_portal(session, [a.idempotency_key for a in attempts])
    consented = set(
        consented_point_ids(
            session, identity.id, case_number=case_number, court_code=request.court_code
        )
    )
    counted = 0
    for attempt in attempts:
        ref = parse_reference(attempt.idempotency_key)
        if ref is None or (attempt.detail or {}).get("learned"):
            continue
        status = "confirmed" if attempt.idempotency_key in in_portal else attempt.status
        value = _value(party, ref, ring) if status in SUCCEEDED | FAILED | {"delivered"} else None
        if value is None:
            continue  # still on its way, or a contact the record no longer holds
        at = min(aware(attempt.updated_at), aware(now))
        point = upsert_point(
            session,
            ring=ring,
            identity=identity,
            kind=ref.kind,
            value=value,
            source=POINT_SOURCES.get(ref.source, "observed"),
            now=at,
        )
        if status == "delivered" and not _consented(point, ref, party, consented):
            # A delivery report proves the number lives, not that it is the party's (CPL 90);
            # it stays uncounted until the party confirms in the portal.
            continue
        if status in FAILED:
            record_failure(point, at=at, reason=_failure_reason(attempt, status))
        else:
            record_success(point, at=at, case_number=case_number)
        attempt.detail = {**(attempt.detail or {}), "learned": True}  # a new dict: JSON change
        counted += 1
    if task.status == "served" and task.method in ("phone", "direct"):
        counted += _learn_in_person(session, ring, identity, task, case_number, now)
    return counted


def _confirmed_in_portal(session: Session, references: list[str]) -> set[str]:
    if not references:
        return set()
    query = (
        select(PortalPublication.reference)
        .join(PortalReceipt, PortalReceipt.publication_id == PortalPublication.id)
        .where(PortalPublication.reference.in_(references), PortalReceipt.kind == "confirmed")
    )
    return set(session.scalars(query))


def _value(party: Party, ref: AttemptRef, ring: KeyRing) -> str | None:
    source = CONTACT_SOURCES.get(ref.source, "submitted")
    try:
        return contact_value(party, Contact(ref.kind, ref.index, "", source=source), ring)
    except (UnknownContactError, SealError):
        return None


def _consented(point: ContactPoint, ref: AttemptRef, party: Party, consented: set[str]) -> bool:
    # The contact's own consent: the request's booleans never cover a number added later.
    return point.id in consented or (ref.source == "s" and covered(party, ref.kind, ref.index))


def _failure_reason(attempt: Attempt, status: str) -> str:
    # Only known reason codes are kept: a provider's free text may quote the address itself.
    if status != "returned":
        return status
    for event in reversed((attempt.detail or {}).get("events", [])):
        if isinstance(event, dict) and event.get("kind") == "returned":
            reason = str((event.get("detail") or {}).get("reason", ""))
            return reason if reason in RETURN_REASONS else "returned"
    return "returned"


def _learn_in_person(
    session: Session,
    ring: KeyRing,
    identity: PartyIdentity,
    task: ServiceTask,
    case_number: str,
    now: datetime,
) -> int:
    """Counts a service by the clerk (phone) or bailiff (address) for the one contact it used."""
    kind = "phone" if task.method == "phone" else "address"
    query = (
        select(TimelineEvent.detail)
        .where(
            TimelineEvent.task_id == task.id,
            TimelineEvent.kind == "step_started",
            TimelineEvent.step == task.method,
        )
        .order_by(TimelineEvent.at.desc(), TimelineEvent.seq.desc())
        .limit(1)
    )
    labels = str((session.scalars(query).first() or {}).get("contacts", ""))
    used = [(v, s) for v, s in party_values(task.party, kind, ring) if label_of(kind, v) in labels]
    if len(used) != 1:
        return 0  # the rung named several contacts (or none): the outcome does not say which
    value, source = used[0]
    point = upsert_point(
        session, ring=ring, identity=identity, kind=kind, value=value, source=source, now=now
    )
    record_success(point, at=now, case_number=case_number)
    return 1

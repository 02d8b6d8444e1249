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
from domain.pure.consent import Mark, mark_of
from domain.pure.plan_facts import KnownContact
from domain.tables.core import ContactPoint, Party, ServiceRequest, utcnow

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


def remember_submitted(
    session: Session,
    *,
    ring: KeyRing,
    party: Party,
    case_number: str,
    now: datetime | None = None,
) -> None:
    """Stores the request's contacts, and each consent and address confirmation it gives."""
    at = now or utcnow()
    identity = identity_of(session, ring=ring, party=party, now=at)
    if identity is None:
        return
    court = _court_of(session, party)
    consents: dict[Mark, list[ContactPoint]] = {}
    for kind in ("phone", "email"):
        for index, value in enumerate(submitted_values(party, kind)):
            point = upsert_point(
                session, ring=ring, identity=identity, kind=kind, value=value,
                source="submitted", now=at,
            )  # fmt: skip
            mark = _mark(party, kind, index)
            if mark is not None:
                consents.setdefault(mark, []).append(point)
    for index, value in enumerate(submitted_values(party, "address")):
        mark = _mark(party, "address", index)
        point = upsert_point(
            session, ring=ring, identity=identity, kind="address", value=value,
            source="confirmed" if mark else "submitted", now=at,
        )  # fmt: skip
        if mark is not None:
            add_confirmation(
                session, identity=identity, point=point, case_number=case_number,
                evidence="address confirmation submitted by the case system", at=at,
                mark=mark, court_code=court,
            )  # fmt: skip
    for mark, points in consents.items():
        add_consent(
            session, identity=identity, kind="submitted", points=points,
            case_number=case_number, evidence="submitted by the case system", at=at,
            mark=mark, court_code=court,
        )  # fmt: skip


def _mark(party: Party, kind: str, index: int) -> Mark | None:
    if party.coverage is None:  # rows from before the marks: the booleans cover every one
        flag = party.address_confirmed if kind == "address" else party.consent_electronic
        return Mark() if flag else None
    return mark_of(party.coverage, kind, index)


def _court_of(session: Session, party: Party) -> str:
    request = session.get(ServiceRequest, party.request_id)
    return request.court_code if request is not None else ""


def _case_of(session: Session, party: Party) -> tuple[str, str]:
    request = session.get(ServiceRequest, party.request_id)
    return (request.case_number, request.court_code) if request is not None else ("", "")


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
    # Only consents and confirmations that bind this case: given in it, or scoped to every
    # case of its court (issue 12, item 6).
    case_number, court_code = _case_of(session, party)
    consented = consented_point_ids(
        session, identity.id, case_number=case_number, court_code=court_code
    )
    confirmed = confirmed_point_ids(
        session, identity.id, case_number=case_number, court_code=court_code
    )
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
        found.append(_known(point, now, index, in_request, consented, confirmed))
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
    consented: dict[str, Mark],
    confirmed: dict[str, Mark],
) -> KnownContact:
    electronic = point.kind in ("phone", "email")
    mark = consented.get(point.id) if electronic else confirmed.get(point.id)
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
        consented=electronic and point.id in consented,
        confirmed_address=not electronic and point.id in confirmed,
        mark=mark,
    )


def consent_on_record(session: Session, *, ring: KeyRing, party: Party) -> str:
    """Returns "YYYY-MM-DD, <case number>" of the newest consent binding this case, or ""."""
    identity = find_identity(session, ring=ring, party=party)
    case_number, court_code = _case_of(session, party)
    record = (
        newest_consent(session, identity.id, case_number=case_number, court_code=court_code)
        if identity is not None
        else None
    )
    if record is None:
        return ""
    return f"{beijing_date(aware(record.at))}, {record.case_number}"

"""Consents to electronic service and address confirmations in the address book."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.address_book.confidence import aware
from domain.pure.clock import BEIJING
from domain.tables.core import AddressConfirmation, ConsentRecord, ContactPoint, PartyIdentity


def add_consent(
    session: Session,
    *,
    identity: PartyIdentity,
    kind: str,
    scope: str,
    points: list[ContactPoint],
    case_number: str,
    evidence: str,
    at: datetime,
) -> ConsentRecord | None:
    """Records a consent covering points, once per identity, kind, case and set of points."""
    if not points:
        return None  # a consent that covers no address serves nowhere
    ids = sorted({p.id for p in points})
    query = select(ConsentRecord).where(
        ConsentRecord.identity_id == identity.id,
        ConsentRecord.kind == kind,
        ConsentRecord.case_number == case_number,
    )
    for existing in session.scalars(query):
        if sorted(existing.contact_point_ids) == ids:
            return existing
    record = ConsentRecord(
        identity_id=identity.id,
        kind=kind,
        scope=scope,
        contact_point_ids=ids,
        case_number=case_number,
        evidence=evidence,
        at=at,
    )
    session.add(record)
    return record


def add_confirmation(
    session: Session,
    *,
    identity: PartyIdentity,
    point: ContactPoint,
    case_number: str,
    evidence: str,
    at: datetime,
) -> AddressConfirmation:
    """Records an address confirmation (送达地址确认书), once per point and case."""
    query = select(AddressConfirmation).where(
        AddressConfirmation.contact_point_id == point.id,
        AddressConfirmation.case_number == case_number,
    )
    existing = session.scalars(query).first()
    if existing is not None:
        return existing
    confirmation = AddressConfirmation(
        identity_id=identity.id,
        contact_point_id=point.id,
        case_number=case_number,
        evidence=evidence,
        at=at,
    )
    session.add(confirmation)
    return confirmation


def consented_point_ids(session: Session, identity_id: str) -> set[str]:
    """Returns the ids of the identity's points that a consent on record covers."""
    query = select(ConsentRecord.contact_point_ids).where(ConsentRecord.identity_id == identity_id)
    return {str(i) for ids in session.scalars(query) for i in ids}


def confirmed_point_ids(session: Session, identity_id: str) -> set[str]:
    """Returns the ids of the identity's points that an address confirmation covers."""
    query = select(AddressConfirmation.contact_point_id).where(
        AddressConfirmation.identity_id == identity_id
    )
    return set(session.scalars(query))


def newest_consent(session: Session, identity_id: str) -> ConsentRecord | None:
    """Returns the identity's most recent consent to electronic service, if any."""
    query = (
        select(ConsentRecord)
        .where(ConsentRecord.identity_id == identity_id)
        .order_by(ConsentRecord.at.desc(), ConsentRecord.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def beijing_date(moment: datetime) -> str:
    """Returns the Beijing date (YYYY-MM-DD) of an instant."""
    return aware(moment).astimezone(BEIJING).date().isoformat()

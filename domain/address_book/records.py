"""Consents to electronic service and address confirmations in the address book."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from domain.address_book.confidence import aware
from domain.pure.clock import BEIJING
from domain.pure.consent import Mark
from domain.tables.core import AddressConfirmation, ConsentRecord, ContactPoint, PartyIdentity


def add_consent(
    session: Session,
    *,
    identity: PartyIdentity,
    kind: str,
    points: list[ContactPoint],
    case_number: str,
    evidence: str,
    at: datetime,
    mark: Mark | None = None,
    court_code: str = "",
) -> ConsentRecord | None:
    """Records a consent covering points, once per identity, kind, case and set of points."""
    if not points:
        return None  # a consent that covers no address serves nowhere
    mark = mark or Mark()
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
        scope=mark.scope,
        evidence_kind=mark.evidence,
        court_code=court_code,
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
    mark: Mark | None = None,
    court_code: str = "",
) -> AddressConfirmation:
    """Records an address confirmation (送达地址确认书), once per point and case."""
    query = select(AddressConfirmation).where(
        AddressConfirmation.contact_point_id == point.id,
        AddressConfirmation.case_number == case_number,
    )
    existing = session.scalars(query).first()
    if existing is not None:
        return existing
    mark = mark or Mark()
    confirmation = AddressConfirmation(
        identity_id=identity.id,
        contact_point_id=point.id,
        case_number=case_number,
        evidence=evidence,
        scope=mark.scope,
        evidence_kind=mark.evidence,
        court_code=court_code,
        at=at,
    )
    session.add(confirmation)
    return confirmation


def _binding(
    table: type[ConsentRecord] | type[AddressConfirmation], case_number: str, court_code: str
) -> ColumnElement[bool]:
    # A consent or confirmation binds its own case; another case only when its scope says
    # every case of the court, and that court is this case's (CPL 90, Interp. 137).
    return or_(
        table.case_number == case_number,
        and_(table.scope == "court", table.court_code == court_code, table.court_code != ""),
    )


def consented_point_ids(
    session: Session, identity_id: str, *, case_number: str, court_code: str
) -> dict[str, Mark]:
    """Returns the identity's points a consent binding this case covers, with its mark."""
    query = (
        select(ConsentRecord)
        .where(
            ConsentRecord.identity_id == identity_id,
            _binding(ConsentRecord, case_number, court_code),
        )
        .order_by(ConsentRecord.at, ConsentRecord.id)
    )
    found: dict[str, Mark] = {}
    for record in session.scalars(query):
        for point_id in record.contact_point_ids:
            found.setdefault(str(point_id), Mark(record.evidence_kind, record.scope))
    return found


def confirmed_point_ids(
    session: Session, identity_id: str, *, case_number: str, court_code: str
) -> dict[str, Mark]:
    """Returns the identity's points an address confirmation binding this case covers."""
    query = (
        select(AddressConfirmation)
        .where(
            AddressConfirmation.identity_id == identity_id,
            _binding(AddressConfirmation, case_number, court_code),
        )
        .order_by(AddressConfirmation.at, AddressConfirmation.id)
    )
    found: dict[str, Mark] = {}
    for row in session.scalars(query):
        found.setdefault(row.contact_point_id, Mark(row.evidence_kind, row.scope))
    return found


def newest_consent(
    session: Session, identity_id: str, *, case_number: str, court_code: str
) -> ConsentRecord | None:
    """Returns the identity's most recent consent binding this case, if any."""
    query = (
        select(ConsentRecord)
        .where(
            ConsentRecord.identity_id == identity_id,
            _binding(ConsentRecord, case_number, court_code),
        )
        .order_by(ConsentRecord.at.desc(), ConsentRecord.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def beijing_date(moment: datetime) -> str:
    """Returns the Beijing date (YYYY-MM-DD) of an instant."""
    return aware(moment).astimezone(BEIJING).date().isoformat()

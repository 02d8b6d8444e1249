"""Loads what a message needs to say about its case, and the contact it goes to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from domain.crypto.keyring import KeyRing
from domain.pure.activity_io import SendInput
from domain.pure.texts import ServiceText
from domain.store.contacts import contact_value, postcode
from domain.tables.core import Court, ServiceRequest, ServiceTask


@dataclass(frozen=True)
class Delivery:
    """The clear contact value, its postcode, and the case text, for one send."""

    to: str
    postcode: str
    text: ServiceText
    court_code: str


def load_delivery(session: Session, arg: SendInput, ring: KeyRing | None = None) -> Delivery:
    """Returns the contact value and case text for the send described by arg."""
    task = session.get_one(ServiceTask, arg.task_id)
    request = session.get_one(ServiceRequest, task.request_id)
    court = session.get_one(Court, request.court_code)
    party = task.party
    text = ServiceText(
        court_name=court.name,
        case_number=request.case_number,
        cause=request.cause,
        document_titles=tuple(d.title for d in request.documents),
        party_name=party.name,
    )
    to = contact_value(party, arg.contact, ring) if arg.contact.kind != "notice" else ""
    return Delivery(to, postcode(party, arg.contact), text, request.court_code)

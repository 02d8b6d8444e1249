"""Finds a party's contact values from the masked references that workflows carry."""

from __future__ import annotations

from typing import Any

from domain.ladder import Contact
from domain.masking import mask_address, mask_email, mask_phone
from domain.models import Party


class UnknownContactError(LookupError):
    """A workflow referred to a contact the party's record does not hold."""


def contact_value(party: Party, contact: Contact) -> str:
    """Returns the clear value (number, e-mail, address text) a contact refers to."""
    pool: list[Any] = {
        ("phone", "repaired"): party.repaired_phones,
        ("phone", "submitted"): party.phones,
        ("email", "submitted"): party.emails,
        ("address", "submitted"): party.addresses,
    }.get((contact.kind, contact.source), party.phones if contact.kind == "phone" else [])
    if not 0 <= contact.index < len(pool):
        raise UnknownContactError(f"party has no {contact.kind} #{contact.index}")
    value = pool[contact.index]
    return str(value["text"]) if isinstance(value, dict) else str(value)


def postcode(party: Party, contact: Contact) -> str:
    """Returns the postcode stored with an address contact, or an empty string."""
    value = party.addresses[contact.index] if contact.kind == "address" else {}
    return str(value.get("postcode", "")) if isinstance(value, dict) else ""


def describe(party: Party, kind: str, indexes: list[int], confirmed: bool = False) -> list[Contact]:
    """Returns masked contacts of the party for the given kind and indexes."""
    contacts = []
    for index in indexes:
        probe = Contact(kind, index, "")
        value = contact_value(party, probe)
        label = {"phone": mask_phone, "email": mask_email}.get(kind, mask_address)(value)
        contacts.append(Contact(kind, index, label, confirmed))
    return contacts

"""Finds a party's contact values from the masked references that workflows carry."""

from __future__ import annotations

from typing import Any

from domain.crypto.keyring import KeyRing, is_sealed
from domain.pure.consent import ELECTRONIC_KINDS, Mark, mark_of, marks
from domain.pure.ladder import Contact
from domain.pure.masking import mask_address, mask_email, mask_phone
from domain.tables.core import Party


class UnknownContactError(LookupError):
    """A workflow referred to a contact the party's record does not hold."""


class SealedContactError(LookupError):
    """A repaired number is sealed and no key ring was given to open it."""


def open_repaired(stored: str, ring: KeyRing | None) -> str:
    """Returns a repaired number in clear: opens a sealed one, passes a clear one (older rows)."""
    if not is_sealed(stored):
        return stored
    if ring is None:
        raise SealedContactError("the repaired number is sealed: the worker must pass the key ring")
    return ring.open(stored)


def repaired_numbers(party: Party, ring: KeyRing | None) -> list[str]:
    """Returns the party's repaired numbers in clear, in their stored order."""
    return [open_repaired(str(value), ring) for value in party.repaired_phones]


def contact_value(party: Party, contact: Contact, ring: KeyRing | None = None) -> str:
    """Returns the clear value (number, e-mail, address text) a contact refers to."""
    pool: list[Any] = {
        ("phone", "repaired"): party.repaired_phones,
        ("phone", "submitted"): party.phones,
        ("email", "submitted"): party.emails,
        ("address", "submitted"): party.addresses,
    }.get((contact.kind, contact.source), party.phones if contact.kind == "phone" else [])
    if contact.source == "book":
        # Values the address book knew from earlier cases, copied in when the plan was made.
        pool = list((party.learned or {}).get(contact.kind, []))
    if not 0 <= contact.index < len(pool):
        raise UnknownContactError(f"party has no {contact.kind} #{contact.index}")
    value = pool[contact.index]
    if (contact.kind, contact.source) == ("phone", "repaired"):
        # Repaired numbers are sealed at rest (activities/repair.py); older rows are clear.
        return open_repaired(str(value), ring)
    return str(value["text"]) if isinstance(value, dict) else str(value)


def postcode(party: Party, contact: Contact) -> str:
    """Returns the postcode stored with an address contact, or an empty string."""
    book = contact.source == "book"  # learned addresses are plain text, without a postcode
    value = party.addresses[contact.index] if contact.kind == "address" and not book else {}
    return str(value.get("postcode", "")) if isinstance(value, dict) else ""


def covered(party: Party, kind: str, index: int) -> bool:
    """Tells whether a consent (phone, e-mail) or a confirmation (address) covers a contact."""
    if party.coverage is None:
        # Rows from before migration 0017 kept no marks: their booleans cover the contacts.
        return party.consent_electronic if kind in ELECTRONIC_KINDS else party.address_confirmed
    return mark_of(party.coverage, kind, index) is not None


def plan_marks(party: Party) -> dict[str, Mark] | None:
    """Returns the request's marks as the plan reads them ("phone:0" → mark), None when legacy."""
    if party.coverage is None:
        return None
    return {
        f"{kind}:{index}": mark
        for kind in ("phone", "email", "address")
        for index, mark in marks(party.coverage, kind).items()
    }


def legacy_coverage(party: Party) -> dict[str, Any]:
    """Returns the marks a row from before migration 0017 stands for: its booleans, spelt out."""
    mark = Mark().as_json()
    spelt: dict[str, Any] = {"phone": {}, "email": {}, "address": {}}
    for kind, pool, flag in (
        ("phone", party.phones, party.consent_electronic),
        ("email", party.emails, party.consent_electronic),
        ("address", party.addresses, party.address_confirmed),
    ):
        spelt[kind] = {str(i): dict(mark) for i in range(len(pool or []))} if flag else {}
    return spelt


def describe(
    party: Party,
    kind: str,
    indexes: list[int],
    confirmed: bool = False,
    ring: KeyRing | None = None,
    *,
    own_marks: bool = False,
) -> list[Contact]:
    """Returns masked contacts of the party; with own_marks each is confirmed by its own mark."""
    contacts = []
    for index in indexes:
        probe = Contact(kind, index, "")
        value = contact_value(party, probe, ring)
        label = {"phone": mask_phone, "email": mask_email}.get(kind, mask_address)(value)
        marked = own_marks and covered(party, kind, index)
        contacts.append(Contact(kind, index, label, confirmed or marked))
    return contacts

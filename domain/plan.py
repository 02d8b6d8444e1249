"""Chooses a party's ladder: which rungs, in which order, with which contacts, and why.

Pure and deterministic; an activity calls it and the result travels in the workflow history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain import rules
from domain.ladder import Clock, Contact, Plan, Rung, Step
from domain.masking import mask_address, mask_email, mask_phone


@dataclass(frozen=True)
class KnownContact:
    """What the address book knows of one contact point of the party (masked, no value)."""

    kind: str  # phone | email | address
    label: str
    source: str  # submitted | confirmed | repaired | observed | postal_return | clerk
    confidence: float  # 0..1 today: faded with age, dropped by failures
    index: int  # into the party's `learned[kind]` list, or its submitted list when in_request
    in_request: bool = False
    last_success_case: str = ""
    last_success_on: str = ""  # YYYY-MM-DD
    last_failure_reason: str = ""
    failures: int = 0
    consented: bool = False  # an electronic consent on record covers it
    confirmed_address: bool = False  # an address confirmation on record covers it


@dataclass(frozen=True)
class PartyFacts:
    """What the plan needs to know about a party and its request."""

    kind: str
    procedure: str
    document_kinds: tuple[str, ...]
    consent_electronic: bool
    address_confirmed: bool
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    repaired_phones: tuple[str, ...] = ()
    has_id_number: bool = False
    foreign: bool = False
    known: tuple[KnownContact, ...] = ()  # the address book's view, empty for a new party
    consent_on_record: str = ""  # "2026-03-02, (2026)津0103民初88号" when consent is on record
    extra_reasons: dict[str, str] = field(default_factory=dict)


def phone_contacts(facts: PartyFacts) -> list[Contact]:
    """Returns the party's mobiles, submitted then repaired, as masked contacts."""
    submitted = [
        Contact("phone", i, mask_phone(p), facts.consent_electronic)
        for i, p in enumerate(facts.phones)
    ]
    repaired = [
        Contact("phone", i, mask_phone(p), False, "repaired")
        for i, p in enumerate(facts.repaired_phones)
    ]
    return submitted + repaired


def email_contacts(facts: PartyFacts) -> list[Contact]:
    """Returns the party's e-mail addresses as masked contacts."""
    return [
        Contact("email", i, mask_email(e), facts.consent_electronic)
        for i, e in enumerate(facts.emails)
    ]


def address_contacts(facts: PartyFacts) -> list[Contact]:
    """Returns the party's postal addresses as masked contacts (confirmed ones first)."""
    return [
        Contact("address", i, mask_address(a), facts.address_confirmed)
        for i, a in enumerate(facts.addresses)
    ]


def _electronic(facts: PartyFacts, contacts: list[Contact]) -> Rung:
    if facts.consent_electronic:
        reason = (
            "electronic first: the party consented at the listed addresses, so the delivery "
            f"report serves ({rules.SOURCES['electronic_consent']})"
        )
    else:
        reason = (
            "electronic first as a reminder: no consent, so only the party's confirmation in "
            f"the portal serves ({rules.SOURCES['electronic_reminder']})"
        )
    return Rung(Step.ELECTRONIC, rules.WAIT_DAYS["electronic"], reason, contacts)


def _simple_means_allowed(facts: PartyFacts) -> bool:
    return facts.procedure in rules.NO_PUBLIC_NOTICE_PROCEDURES and not (
        set(facts.document_kinds) & rules.NOT_BY_SIMPLE_MEANS
    )


def _phone(facts: PartyFacts, contacts: list[Contact]) -> Rung:
    reason = "a clerk calls on a recorded line to confirm identity, address and consent"
    if _simple_means_allowed(facts):
        reason += (
            f"; the recorded confirmation serves by simple means ({rules.SOURCES['simple_means']})"
        )
    return Rung(Step.PHONE, rules.WAIT_DAYS["phone"], reason, contacts, business_days=True)


def _mail(facts: PartyFacts, contacts: list[Contact]) -> Rung:
    if facts.address_confirmed:
        reason = "court post to the confirmed address: signing, refusal or return serves (CPL 91)"
    else:
        reason = "court post to the submitted address: serves when signed or refused (CPL 91)"
    return Rung(Step.MAIL, rules.WAIT_DAYS["mail"], reason, contacts)


def _public_notice_refusal(facts: PartyFacts) -> str:
    if facts.procedure in rules.NO_PUBLIC_NOTICE_PROCEDURES:
        return f"public notice not allowed in {facts.procedure} procedure (Interp. 140)"
    if set(facts.document_kinds) & rules.MEDIATION_KINDS:
        return "public notice not allowed for a mediation statement"
    return ""


def make_plan(facts: PartyFacts, clock: Clock) -> Plan:
    """Returns the ordered rungs for the party, with a reason for each choice and each skip."""
    rungs: list[Rung] = []
    skipped: list[str] = []
    phones = phone_contacts(facts)
    electronic = phones + email_contacts(facts)
    repair = not facts.phones and facts.kind == "person" and facts.has_id_number
    if electronic or repair:
        rungs.append(_electronic(facts, electronic))
    else:
        skipped.append("electronic skipped: no mobile number or e-mail known")
    if phones or repair:
        rungs.append(_phone(facts, phones))
    else:
        skipped.append("phone skipped: no mobile number known")
    addresses = address_contacts(facts)
    if addresses:
        rungs.append(_mail(facts, addresses))
        rungs.append(
            Rung(
                Step.DIRECT,
                rules.WAIT_DAYS["direct"],
                "a bailiff serves in person at the address (CPL 88)",
                addresses,
                business_days=True,
            )
        )
    else:
        skipped.append("mail and direct skipped: no postal address known")
    refusal = _public_notice_refusal(facts)
    days = rules.PUBLIC_NOTICE_DAYS_FOREIGN if facts.foreign else rules.PUBLIC_NOTICE_DAYS
    if refusal:
        skipped.append(refusal)
    else:
        rungs.append(
            Rung(
                Step.PUBLIC_NOTICE,
                float(days),
                f"last resort once every other means failed, effective after {days} "
                f"days ({rules.SOURCES['public_notice']})",
            )
        )
    return Plan(
        rungs=rungs,
        clock=clock,
        rule_version=rules.RULE_VERSION,
        procedure=facts.procedure,
        public_notice_days=days,
        repair=repair,
        skipped=skipped,
        simple_means=_simple_means_allowed(facts),
    )

"""Gathers the contacts a plan may use: submitted, repaired and known from the address book.

Live contacts are ranked by what the book knows of them (fresher and proven first); dead ones
are set aside with the words the plan uses to say why it skips them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.pure import rules
from domain.pure.consent import Mark
from domain.pure.ladder import Contact
from domain.pure.masking import mask_address, mask_email, mask_phone, mask_text
from domain.pure.plan_facts import KnownContact, PartyFacts

_MASKS: dict[str, Callable[[str], str]] = {
    "phone": mask_phone,
    "email": mask_email,
    "address": mask_address,
}
# Submitted before the book before repaired numbers when everything else is equal.
_SOURCE_ORDER = {"submitted": 0, "book": 1, "repaired": 2}
_TRIES = {
    "phone": ("try", "tries"),
    "email": ("e-mail", "e-mails"),
    "address": ("letter", "letters"),
}
_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
# What a dead contact is left out of: the machines always; the people too for a book contact,
# while a submitted one stays for the clerk or bailiff to check (see Gathered.kept_for_people).
_SKIPPED = {
    ("phone", "book"): "SMS and calls",
    ("phone", "submitted"): "SMS",
    ("email", "book"): "e-mail",
    ("email", "submitted"): "e-mail",
    ("address", "book"): "mail and direct service",
    ("address", "submitted"): "mail",
}


@dataclass(frozen=True)
class Candidate:
    """A contact the plan may use, with what the address book knows of it (None: nothing)."""

    contact: Contact
    history: KnownContact | None = None

    @property
    def dead(self) -> bool:
        """Tells whether the book gave up on it: no confidence left, or too many failures."""
        h = self.history
        return h is not None and (
            h.confidence <= rules.DEAD_CONFIDENCE or h.failures >= rules.DEAD_FAILURES
        )

    @property
    def proven(self) -> bool:
        """Tells whether the contact ever served the party."""
        h = self.history
        return h is not None and bool(h.last_success_on or h.last_success_case)

    @property
    def rank(self) -> float:
        """Returns today's confidence, or the rule's baseline for a contact the book lacks."""
        return self.history.confidence if self.history else rules.SUBMITTED_CONFIDENCE

    def sort_key(self) -> tuple[int, float, int, int, int]:
        """Orders submitted and proven book contacts by confidence, then repaired, then the rest."""
        source = self.contact.source
        if source == "submitted" or (source == "book" and self.proven):
            group = 0
        else:
            group = 1 if source == "repaired" else 2
        # Ties keep the submitted contact first: a book contact must be proven *better*.
        return (
            group,
            -self.rank,
            _SOURCE_ORDER.get(source, 3),
            0 if self.proven else 1,
            self.contact.index,
        )


@dataclass(frozen=True)
class Gathered:
    """One kind of contact: the live ones in the order to try, and the dead ones."""

    live: list[Candidate]
    dead: list[Candidate]

    @property
    def kept_for_people(self) -> list[Candidate]:
        """Returns dead submitted contacts: a person checks them before public notice may follow."""
        return [c for c in self.dead if c.contact.source == "submitted"]


def gather(facts: PartyFacts, kind: str) -> Gathered:
    """Returns the party's contacts of one kind (phone, email, address), ranked and sorted out."""
    history = {k.index: k for k in facts.known if k.kind == kind and k.in_request}
    values = {"phone": facts.phones, "email": facts.emails, "address": facts.addresses}[kind]
    candidates = [
        _submitted(facts, kind, i, value, history.get(i)) for i, value in enumerate(values)
    ]
    if kind == "phone":
        candidates += [
            Candidate(Contact("phone", i, mask_phone(p), False, "repaired"))
            for i, p in enumerate(facts.repaired_phones)
        ]
    candidates += [_from_book(k) for k in facts.known if k.kind == kind and not k.in_request]
    live = sorted((c for c in candidates if not c.dead), key=Candidate.sort_key)
    return Gathered(live=live, dead=[c for c in candidates if c.dead])


def _submitted(
    facts: PartyFacts, kind: str, index: int, value: str, history: KnownContact | None
) -> Candidate:
    # The request's own mark on this contact, else one on record that binds this case: the
    # book offers only those given in this case or scoped to every case of this court.
    confirmed = facts.own_mark(kind, index) is not None or _on_record(history)
    return Candidate(Contact(kind, index, _MASKS[kind](value), confirmed), history)


def _on_record(known: KnownContact | None) -> bool:
    if known is None:
        return False
    return known.confirmed_address if known.kind == "address" else known.consented


def _from_book(known: KnownContact) -> Candidate:
    # A consent or confirmation on record covers what it names, where its scope reaches.
    return Candidate(
        Contact(known.kind, known.index, known.label, _on_record(known), "book"), known
    )


def mark_of(facts: PartyFacts, candidate: Candidate) -> Mark | None:
    """Returns what a covered contact's consent or confirmation rests on, None if uncovered."""
    contact = candidate.contact
    own = facts.own_mark(contact.kind, contact.index) if contact.source == "submitted" else None
    if own is not None:
        return own
    history = candidate.history
    return history.mark if _on_record(history) and history is not None else None


def failure_text(history: KnownContact) -> str:
    """Says why the book gave up on a contact: "the last two letters failed (no such recipient)"."""
    n = history.failures
    if n:
        singular, plural = _TRIES.get(history.kind, ("try", "tries"))
        count = _NUMBERS[n] if n < len(_NUMBERS) else str(n)
        text = f"the last {singular} failed" if n == 1 else f"the last {count} {plural} failed"
    else:
        text = "the address book has no confidence left in it"
    if history.last_failure_reason:
        text += f" ({mask_text(history.last_failure_reason.replace('_', ' '))})"
    return text


def skip_note(candidate: Candidate) -> str:
    """Returns the plan's line for a dead contact: what is skipped, where, and why."""
    contact = candidate.contact
    what = _SKIPPED.get((contact.kind, contact.source), contact.kind)
    why = failure_text(candidate.history) if candidate.history else "dead"
    return f"{what} to {contact.label} skipped: {why}"


def evidence(candidate: Candidate) -> str:
    """Describes a contact and the history the plan relies on, masked: "138****5678 (submitted)"."""
    contact, h = candidate.contact, candidate.history
    origin = {
        "submitted": "submitted",
        "repaired": "from the operators' real-name records",
        "book": f"address book, {h.source}" if h else "address book",
    }.get(contact.source, contact.source)
    parts = [origin]
    if h is not None:
        if h.last_success_case or h.last_success_on:
            served = "served"
            served += f" in {mask_text(h.last_success_case)}" if h.last_success_case else ""
            served += f" on {h.last_success_on}" if h.last_success_on else ""
            parts.append(served)
        if _on_record(h) and h.mark is not None:
            on_record = "confirmation" if contact.kind == "address" else "consent"
            parts.append(f"{on_record} on record, {h.mark.words()}")
        elif h.consented and contact.kind != "address":
            parts.append("consent on record")
        if h.failures:
            parts.append(f"{h.failures} failure{'s' if h.failures > 1 else ''} in a row")
        parts.append(f"confidence {h.confidence:.2f}")
    return f"{contact.label} ({'; '.join(parts)})"


def covered_detail(facts: PartyFacts) -> list[dict[str, str]]:
    """Lists each contact a consent or confirmation covers, with its evidence and scope."""
    found = []
    for kind in ("phone", "email", "address"):
        gathered = gather(facts, kind)
        for candidate in [*gathered.live, *gathered.dead]:
            mark = mark_of(facts, candidate) if candidate.contact.confirmed else None
            if mark is None:
                continue
            found.append(
                {
                    "contact": candidate.contact.label,
                    "covers": "confirmation" if kind == "address" else "consent",
                    "evidence": mark.evidence,
                    "scope": mark.scope,
                    "words": mark.words(),
                }
            )
    return found

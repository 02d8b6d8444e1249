"""The words of a plan: why each rung is there, which rule and article allow it, what it relies on.

Every reason ends with the evidence it relies on (source, last success, consent) and, when the
trail's statistics are given, how often the step serves this kind of party.
"""

from __future__ import annotations

from dataclasses import replace

from domain.pure import rules
from domain.pure.ladder import Rung, Step
from domain.pure.masking import mask_text
from domain.pure.plan_contacts import Candidate, evidence, failure_text, mark_of
from domain.pure.plan_facts import PartyFacts

_THIS = {"phone": "number", "email": "address", "address": "address"}
_STEP_NOUNS = {
    "electronic": "electronic service",
    "phone": "a clerk's call",
    "mail": "mail",
    "direct": "direct service",
}
_DOCUMENTS = {"mediation": "mediation statement"}
_PLURALS = {"person": "persons", "organization": "organizations", "lawyer": "lawyers"}


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def consent_on_record(facts: PartyFacts) -> tuple[str, str]:
    """Splits "2026-03-02, (2026)津0103民初88号" into the consent's date and case."""
    when, _, case = facts.consent_on_record.partition(",")
    return mask_text(when.strip()), mask_text(case.strip())


def relies_on(candidates: list[Candidate], repair: bool = False) -> str:
    """Names the contacts a rung uses and their history, or the repair it waits for."""
    if candidates:
        return "relies on " + ", ".join(evidence(c) for c in candidates)
    if repair:
        return "relies on the numbers the telecom operators find for the party's ID number"
    return ""


def _history_consents(facts: PartyFacts, covered: list[Candidate]) -> list[str]:
    when, case = consent_on_record(facts)
    texts = []
    for c in covered:
        label, history = c.contact.label, c.history
        text = f"{label} consented {when}" if when else f"a consent on record covers {label}"
        text += f" in {case}" if case else ""
        text += f" ({history.mark.words()})" if history is not None and history.mark else ""
        if history is not None and history.last_success_case:
            this = _THIS.get(c.contact.kind, "address")
            text += f", served at this {this} in {mask_text(history.last_success_case)}"
        texts.append(text)
    return texts


def _own(facts: PartyFacts, candidate: Candidate) -> bool:
    contact = candidate.contact
    return contact.source == "submitted" and facts.own_mark(contact.kind, contact.index) is not None


def marked(facts: PartyFacts, candidates: list[Candidate]) -> str:
    """Names each contact with what its consent or confirmation rests on: "138****5678
    (送达地址确认书（本案）)"."""
    named = []
    for candidate in candidates:
        mark = mark_of(facts, candidate)
        words = f" ({mark.words()})" if mark is not None else ""
        named.append(f"{candidate.contact.label}{words}")
    return ", ".join(named)


def _consent_clause(facts: PartyFacts, covered: list[Candidate]) -> str:
    by_request = [c for c in covered if _own(facts, c)]
    by_history = [c for c in covered if not _own(facts, c)]
    clauses = (
        [f"the party consented at the submitted addresses {marked(facts, by_request)}"]
        if by_request
        else []
    )
    return " and ".join([*clauses, *_history_consents(facts, by_history)])


def _reminder(facts: PartyFacts) -> str:
    when, case = consent_on_record(facts)
    if facts.consent_electronic:
        # Only numbers found later (repair) are on the rung: the request's consent names others.
        none = "the consent in the request covers none of these addresses"
    elif facts.consent_on_record:
        none = f"the consent on record ({when}{' in ' + case if case else ''}) covers none of "
        none += "these addresses"
    else:
        none = "there is no consent in the request or on record"
    sources = rules.SOURCES
    portal = (
        f"only the party's confirmation in the portal serves ({sources['electronic_reminder']})"
    )
    named = [
        _DOCUMENTS.get(k, k) for k in sorted(set(facts.document_kinds) & rules.CONSENT_NAMED_KINDS)
    ]
    if named:
        return (
            f"electronic first as a reminder only: a {' or '.join(named)} is served "
            f"electronically only with the party's consent ({sources['electronic_documents']}) "
            f"and {none}; the delivery report does not serve, {portal}"
        )
    return f"electronic first as a reminder: {none}, so {portal}"


def electronic(
    facts: PartyFacts, rule: rules.KindRule, candidates: list[Candidate], repair: bool
) -> str:
    """Explains the electronic rung: whose consent makes a delivery report serve, or none does."""
    covered = [c for c in candidates if c.contact.confirmed]
    if not covered:
        main = _reminder(facts)
    else:
        main = (
            f"electronic first: {_consent_clause(facts, covered)}, so the delivery report serves "
            f"({rules.SOURCES['electronic_consent']})"
        )
        if len(covered) < len(candidates):
            main += (
                "; at the other e-addresses the message is a reminder and only the party's "
                f"confirmation in the portal serves ({rules.SOURCES['electronic_reminder']})"
            )
    return _join(main, rule.notes.get("electronic", ""), relies_on(candidates, repair))


def _kept(candidates: list[Candidate], who: str) -> str:
    texts = [
        f"{c.contact.label} although {failure_text(c.history)}"
        for c in candidates
        if c.history is not None
    ]
    if not texts:
        return ""
    return (
        f"{who} also checks {', '.join(texts)}: public notice needs every other means tried "
        f"({rules.SOURCES['public_notice']})"
    )


def phone(
    facts: PartyFacts,
    rule: rules.KindRule,
    live: list[Candidate],
    kept: list[Candidate],
    repair: bool,
    simple_means: bool,
) -> str:
    """Explains the clerk's call and whether its recorded confirmation serves."""
    main = (
        "a clerk calls on a recorded line to confirm identity, address and consent "
        f"({rules.SOURCES['phone']})"
    )
    if simple_means:
        main += (
            f"; the recorded confirmation serves by simple means ({rules.SOURCES['simple_means']})"
        )
    return _join(
        main,
        rule.notes.get("phone", ""),
        _kept(kept, "the clerk"),
        relies_on([*live, *kept], repair),
    )


def mail(facts: PartyFacts, rule: rules.KindRule, candidates: list[Candidate]) -> str:
    """Explains court post: which address, and what a signature, refusal or return means."""
    submitted = any(c.contact.source == "submitted" for c in candidates)
    book = any(c.contact.source == "book" for c in candidates)
    other_cases = rules.SOURCES["other_litigation"]
    if not submitted:
        main = (
            "court post to addresses known from other cases: serves when signed or refused "
            f"({rules.SOURCES['mail']}; {other_cases})"
        )
    elif all(c.contact.confirmed for c in candidates):
        main = (
            "court post to the confirmed address: signing, refusal or return serves (CPL 91); "
            f"confirmed by {marked(facts, candidates)}"
        )
    elif any(c.contact.confirmed for c in candidates):
        confirmed = [c for c in candidates if c.contact.confirmed]
        main = (
            f"court post to the confirmed address {marked(facts, confirmed)}: signing, refusal "
            "or return serves there (CPL 91); at the other addresses only signing serves, a "
            "letter refused or returned there does not"
        )
    else:
        main = "court post to the submitted address: serves when signed or refused (CPL 91)"
    if submitted and book:
        main += (
            "; addresses known from other cases are posted to as well and serve only when "
            f"signed or refused ({other_cases})"
        )
    return _join(main, rule.notes.get("mail", ""), relies_on(candidates))


def direct(rule: rules.KindRule, live: list[Candidate], kept: list[Candidate]) -> str:
    """Explains the bailiff's visit and any failed address it checks before public notice."""
    return _join(
        f"a bailiff serves in person at the address ({rules.SOURCES['direct']})",
        rule.notes.get("direct", ""),
        _kept(kept, "the bailiff"),
        relies_on([*live, *kept]),
    )


def public_notice(period: rules.NoticePeriod, skipped_contacts: int) -> str:
    """Explains public notice: the last resort, its period, and the record it stands on."""
    record = "relies on the failures the rungs above record"
    if skipped_contacts:
        record += f" and the history of {skipped_contacts} skipped contact"
        record += "s" if skipped_contacts > 1 else ""
    return (
        f"last resort once every other means failed, effective after {_length(period)} "
        f"({'; '.join(filter(None, (rules.SOURCES['public_notice'], period.source)))}); {record}"
    )


def _length(period: rules.NoticePeriod) -> str:
    return f"{period.months} months" if period.months else f"{period.days} days"


def with_statistics(rungs: list[Rung], facts: PartyFacts) -> list[Rung]:
    """Adds how often each step serves this kind of party; the order itself stays the rule's."""
    rates = {s: r for s, r in facts.success_rates.items() if s in _STEP_NOUNS}
    if not rates:
        return rungs
    who = _PLURALS.get(facts.kind, f"{facts.kind} parties")
    result = []
    for i, rung in enumerate(rungs):
        rate = rates.get(rung.step)
        if rate is None or rung.step == Step.PUBLIC_NOTICE:
            result.append(rung)
            continue
        text = f"{_STEP_NOUNS[rung.step]} succeeds for {rate:.0%} of {who}"
        better = [
            f"{r.step} ({rates[r.step]:.0%})"
            for r in rungs[i + 1 :]
            if rates.get(r.step, -1.0) > rate
        ]
        if better:
            text += (
                f", kept before {', '.join(better)}: the legal order and the rule table win "
                "over statistics"
            )
        result.append(replace(rung, reason=f"{rung.reason}; {text}"))
    return result

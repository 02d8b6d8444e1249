"""Chooses a party's ladder: which rungs, in which order, with which contacts, and why.

Pure and deterministic; an activity calls it and the result travels in the workflow history.
The party's history (the address book's `known` contacts, a consent on record) adds contacts,
ranks them and sets dead ones aside; without history the plan is the request's alone. The law
decides what may serve, the rule table (`domain.pure.rules`) the order per kind of party, and the
trail's statistics only explain it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.pure import plan_reasons as reasons
from domain.pure import rules
from domain.pure.ladder import Clock, Plan, Rung, Step
from domain.pure.plan_contacts import Candidate, Gathered, gather, skip_note
from domain.pure.plan_facts import KnownContact, PartyFacts

__all__ = ["KnownContact", "PartyFacts", "make_plan"]


@dataclass(frozen=True)
class _Situation:
    """What every rung builder looks at."""

    facts: PartyFacts
    rule: rules.KindRule
    phones: Gathered
    emails: Gathered
    addresses: Gathered
    repair: bool
    simple_means: bool

    @property
    def electronic(self) -> list[Candidate]:
        return [*self.phones.live, *self.emails.live]


def _simple_means_allowed(facts: PartyFacts) -> bool:
    return facts.procedure in rules.NO_PUBLIC_NOTICE_PROCEDURES and not (
        set(facts.document_kinds) & rules.NOT_BY_SIMPLE_MEANS
    )


def _repair(facts: PartyFacts, phones: Gathered) -> bool:
    # The operators are asked only when nobody, not even the address book, knows a live number:
    # none was submitted, or every one submitted is dead by the book's history.
    return facts.kind == "person" and facts.has_id_number and not phones.live


def _electronic(s: _Situation) -> Rung | str | None:
    candidates = s.electronic
    if candidates or s.repair:
        reason = reasons.electronic(s.facts, s.rule, candidates, s.repair)
        return Rung(
            Step.ELECTRONIC,
            rules.WAIT_DAYS["electronic"],
            reason,
            [c.contact for c in candidates],
        )
    if s.phones.dead or s.emails.dead:
        return "electronic skipped: no live mobile number or e-mail"
    return "electronic skipped: no mobile number or e-mail known"


def _phone(s: _Situation) -> Rung | str | None:
    live, kept = s.phones.live, s.phones.kept_for_people
    if live or kept or s.repair:
        reason = reasons.phone(s.facts, s.rule, live, kept, s.repair, s.simple_means)
        return Rung(
            Step.PHONE,
            rules.WAIT_DAYS["phone"],
            reason,
            [c.contact for c in [*live, *kept]],
            business_days=True,
        )
    if s.phones.dead:
        return "phone skipped: no live mobile number"
    return "phone skipped: no mobile number known"


def _mail(s: _Situation) -> Rung | str | None:
    live = s.addresses.live
    if live:
        reason = reasons.mail(s.facts, s.rule, live)
        return Rung(Step.MAIL, rules.WAIT_DAYS["mail"], reason, [c.contact for c in live])
    if s.addresses.kept_for_people:
        return "mail skipped: no live postal address"
    if s.addresses.dead:
        return "mail and direct skipped: no live postal address"
    return "mail and direct skipped: no postal address known"


def _direct(s: _Situation) -> Rung | str | None:
    live, kept = s.addresses.live, s.addresses.kept_for_people
    if not live and not kept:
        return None  # the mail rung's line already says so
    # A lawyer or organization never reaches public notice without a visit to its registered
    # address (issue 12, item 7): the centre's "e-service only" setting yields to the notice.
    if s.rule.direct_only_without_electronic and s.electronic and _public_notice_refusal(s.facts):
        return f"direct skipped: {s.rule.notes['direct']}"
    return Rung(
        Step.DIRECT,
        rules.WAIT_DAYS["direct"],
        reasons.direct(s.rule, live, kept),
        [c.contact for c in [*live, *kept]],
        business_days=True,
    )


_BUILDERS: dict[str, Callable[[_Situation], Rung | str | None]] = {
    Step.ELECTRONIC: _electronic,
    Step.PHONE: _phone,
    Step.MAIL: _mail,
    Step.DIRECT: _direct,
}


def _public_notice_refusal(facts: PartyFacts) -> str:
    if facts.procedure in rules.NO_PUBLIC_NOTICE_PROCEDURES:
        return f"public notice not allowed in {facts.procedure} procedure (Interp. 140)"
    if set(facts.document_kinds) & rules.MEDIATION_KINDS:
        return "public notice not allowed for a mediation statement"
    return ""


def make_plan(facts: PartyFacts, clock: Clock) -> Plan:
    """Returns the ordered rungs for the party, with a reason for each choice and each skip."""
    phones, emails, addresses = (gather(facts, k) for k in ("phone", "email", "address"))
    situation = _Situation(
        facts=facts,
        rule=rules.kind_rule(facts.kind),
        phones=phones,
        emails=emails,
        addresses=addresses,
        repair=_repair(facts, phones),
        simple_means=_simple_means_allowed(facts),
    )
    dead = [*phones.dead, *emails.dead, *addresses.dead]
    rungs: list[Rung] = []
    skipped = [skip_note(c) for c in dead]
    for step in situation.rule.order:
        built = _BUILDERS[step](situation)
        if isinstance(built, Rung):
            rungs.append(built)
        elif built:
            skipped.append(built)
    refusal = _public_notice_refusal(facts)
    residence = "abroad" if facts.foreign and facts.residence == "mainland" else facts.residence
    period = rules.notice_period(residence, facts.notice)
    if refusal:
        skipped.append(refusal)
    else:
        reason = reasons.public_notice(period, len(dead))
        rungs.append(Rung(Step.PUBLIC_NOTICE, float(period.days or 30 * period.months), reason))
    return Plan(
        rungs=reasons.with_statistics(rungs, facts),
        clock=clock,
        rule_version=rules.RULE_VERSION,
        procedure=facts.procedure,
        public_notice_days=period.days,
        public_notice_months=period.months,
        public_notice_roll=facts.notice.roll,
        repair=situation.repair,
        skipped=skipped,
        simple_means=situation.simple_means,
        mediation=bool(set(facts.document_kinds) & rules.MEDIATION_KINDS),
    )

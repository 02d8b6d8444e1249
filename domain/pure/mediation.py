"""A mediation statement takes effect only when every party has signed (Interp. 133; CPL 100).

Pure: the API reads each party's serving rule off its timeline and asks here what it means.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.pure.served_on import SERVICE_RULES

MEDIATION_ARTICLE = "Interp. 133; CPL 100"
# Service that is a signature: in person, a signed receipt, or electronic service the party's
# consent covers (allowed for mediation statements since 2022). Never a refusal, a return,
# leaving at the address, simple means or public notice.
SIGNING_RULES = frozenset(
    {"direct_signed", "mail_signed", "electronic_reached", "electronic_confirmed"}
)
RULE_BY_WORDS = {rule.words: code for code, rule in SERVICE_RULES.items()}


@dataclass(frozen=True)
class MediationEffect:
    """Which parties signed the mediation statement, and whether it took effect."""

    signed: list[str]
    unsigned: list[str]
    effective: bool
    rule: str = MEDIATION_ARTICLE


def mediation_effect(parties: Iterable[tuple[str, str]]) -> MediationEffect:
    """Returns the effect of a mediation statement from each party's ref and serving rule code."""
    listed = list(parties)
    signed = [ref for ref, rule in listed if rule in SIGNING_RULES]
    unsigned = [ref for ref, rule in listed if rule not in SIGNING_RULES]
    return MediationEffect(signed, unsigned, bool(listed) and not unsigned)

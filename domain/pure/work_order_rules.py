"""Rules for clerks' and bailiffs' work orders, as data naming their source.

Pure: the API checks an outcome against them before it reaches the workflow, and the rule
version is recorded with the outcome. No I/O and no settings object here; callers pass the
configured numbers in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time
from typing import Literal, get_args

from domain.pure.clock import BEIJING
from domain.pure.rules import MEDIATION_KINDS

WORK_ORDER_RULE_VERSION = "2026.11-wo1"

CallResult = Literal[
    "answered", "no_answer", "busy", "powered_off", "unreachable", "rejected", "wrong_number"
]
CALL_RESULTS = frozenset(get_args(CallResult))
# How the console and the proof name each call result.
CALL_RESULT_WORDS: dict[str, str] = {
    "answered": "已接通", "no_answer": "无人接听", "busy": "占线", "powered_off": "关机",
    "unreachable": "无法接通", "rejected": "拒接", "wrong_number": "号码错误",
}  # fmt: skip

# Periods of the day a call may fall in (Asia/Shanghai): a party who works days may answer in
# the evening, so "unreachable" needs calls spread over more than one (SPC opinions on service,
# 2017, practice of the centre; numbers are settings).
CALL_PERIODS: tuple[tuple[str, time, time], ...] = (
    ("morning", time(8), time(12)),
    ("afternoon", time(12), time(18)),
    ("evening", time(18), time(21)),
)

# Who took the document at a direct service (CPL 88, 89).
Relation = Literal["self", "family_member", "representative", "mail_room", "designated", "other"]
RELATIONS = frozenset(get_args(Relation))
# How the proof of service (送达回证) names each relation.
RELATION_WORDS: dict[str, str] = {
    "self": "本人", "family_member": "同住成年家属", "representative": "代理人或代表",
    "mail_room": "收发室", "designated": "指定代收人", "other": "其他",
}  # fmt: skip
# Who may sign for each kind of party (CPL 88; Court special post rules 9): an organization
# by its legal representative, a person it designated to receive, or its mail room; a person
# (or a lawyer) itself, an adult family member living with it, its agent or designee.
RELATIONS_BY_KIND: dict[str, frozenset[str]] = {
    "organization": frozenset({"representative", "designated", "mail_room"}),
    "person": frozenset({"self", "family_member", "representative", "designated", "other"}),
    "lawyer": frozenset({"self", "representative", "designated", "mail_room", "other"}),
}
# The two sides of a case: a recipient named as a party of the other side is the opposing party.
SIDES = {
    "plaintiff": "claimant", "applicant": "claimant", "appellant": "claimant",
    "defendant": "respondent", "respondent": "respondent", "appellee": "respondent",
}  # fmt: skip


def opposing(role: str, other: str) -> bool:
    """Tells whether two party roles stand on opposite sides of the case."""
    mine, theirs = SIDES.get(role), SIDES.get(other)
    return mine is not None and theirs is not None and mine != theirs


@dataclass(frozen=True)
class Violation:
    """A rule an outcome breaks: the body field it concerns and what is missing, in words."""

    field: str
    message: str


def call_period(started_at: datetime) -> str | None:
    """Returns the period of the Beijing day a call started in, or None outside them."""
    local = started_at.astimezone(BEIJING).time()
    for name, start, end in CALL_PERIODS:
        if start <= local < end:
            return name
    return None


def unreachable_violation(
    starts: Iterable[datetime], *, min_attempts: int, min_periods: int
) -> Violation | None:
    """Tells what is missing before a phone order may end unreachable, or None if nothing."""
    calls = list(starts)
    periods = {p for p in (call_period(s) for s in calls) if p is not None}
    missing: list[str] = []
    if len(calls) < min_attempts:
        missing.append(f"{min_attempts - len(calls)} more call attempt(s) (have {len(calls)})")
    if len(periods) < min_periods:
        names = "/".join(name for name, _, _ in CALL_PERIODS)
        missing.append(
            f"calls in {min_periods - len(periods)} more period(s) of the day ({names}, "
            f"Beijing time; have {', '.join(sorted(periods)) or 'none'})"
        )
    if not missing:
        return None
    return Violation("outcome", "unreachable needs " + " and ".join(missing))


def direct_violations(
    outcome: str,
    service: Mapping[str, object] | None,
    *,
    opposing_names: Iterable[str],
    document_kinds: Iterable[str],
    media_evidence: int,
    party_kind: str = "person",
) -> list[Violation]:
    """Returns the rules a direct-service outcome breaks (CPL 88, 89; Interp. 133)."""
    record = service or {}
    kinds = set(document_kinds)
    if outcome == "served_in_person":
        found = _in_person_violations(record, {n.strip() for n in opposing_names})
        return found + _relation_violations(str(record.get("relation") or ""), party_kind, kinds)
    if outcome == "left_at_address":
        return _left_violations(record, kinds, media_evidence)
    return []


def _in_person_violations(
    record: Mapping[str, object], opposing_names: set[str]
) -> list[Violation]:
    found: list[Violation] = []
    if not record.get("recipient"):
        found.append(Violation("service.recipient", "served in person needs who received it"))
    if not record.get("relation"):
        found.append(Violation("service.relation", "served in person needs the relation"))
    if str(record.get("recipient") or "").strip() in opposing_names:
        found.append(Violation("service.relation", "the opposing party may never receive (CPL 88)"))
    return found


def _relation_violations(relation: str, party_kind: str, kinds: set[str]) -> list[Violation]:
    if not relation:
        return []  # missing: _in_person_violations says so
    if relation == "family_member" and kinds & MEDIATION_KINDS:
        message = "a family member may never sign for a mediation statement (Interp. 133)"
        return [Violation("service.relation", message)]
    allowed = RELATIONS_BY_KIND.get(party_kind, RELATIONS)
    if relation not in allowed:
        who = ", ".join(sorted(allowed))
        message = f"a {party_kind} signs by: {who} (CPL 88)"
        return [Violation("service.relation", message)]
    return []


def _left_violations(
    record: Mapping[str, object], kinds: set[str], media_evidence: int
) -> list[Violation]:
    found: list[Violation] = []
    if kinds & MEDIATION_KINDS:
        found.append(
            Violation("outcome", "a mediation statement is never left at the address (CPL 89)")
        )
    if not record.get("refusal_recorded"):
        found.append(
            Violation("service.refusal_recorded", "leaving needs a recorded refusal (CPL 89)")
        )
    if not record.get("witness") and media_evidence < 1:
        found.append(
            Violation(
                "service.witness",
                "leaving needs a witness or a photo/video uploaded to the order (CPL 89)",
            )
        )
    return found

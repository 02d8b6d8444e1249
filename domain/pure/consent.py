"""What a consent to electronic service or an address confirmation covers, and on what evidence.

A consent covers the e-addresses it names and an address confirmation (送达地址确认书) the
addresses it names, each with the kind of its evidence and its scope: this case only, or every
case of the court when the confirmation says so (CPL 90, Interp. 137, Online Rules 29). The
party's record keeps one mark per covered contact (`Party.coverage`); a contact added later has
none unless its own evidence gives it one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Evidence kinds (stable codes) and the words the proof and the timeline use for them.
EVIDENCE_WORDS = {
    "case_system": "案件系统报送",
    "address_confirmation_form": "送达地址确认书",
    "efiling_account": "电子诉讼平台账户",
    "recorded_call": "电话录音确认",
    "contract_clause": "合同约定送达地址",
    "pleading": "诉讼材料中主动提供",
}
EVIDENCE_KINDS = tuple(EVIDENCE_WORDS)
SCOPE_WORDS = {"case": "本案", "court": "本院全部案件"}
SCOPES = tuple(SCOPE_WORDS)
# What the request's own booleans and per-contact flags rest on when it names no evidence.
DEFAULT_EVIDENCE = "case_system"
ELECTRONIC_KINDS = ("phone", "email")


@dataclass(frozen=True)
class Mark:
    """One contact's consent (e-address) or confirmation (address): evidence kind and scope."""

    evidence: str = DEFAULT_EVIDENCE
    scope: str = "case"

    def words(self) -> str:
        """Returns the Chinese for readers: 送达地址确认书（本案）."""
        kind = EVIDENCE_WORDS.get(self.evidence, self.evidence)
        return f"{kind}（{SCOPE_WORDS.get(self.scope, self.scope)}）"

    def as_json(self) -> dict[str, str]:
        """Returns the stored form."""
        return {"evidence": self.evidence, "scope": self.scope}


def marks(coverage: dict[str, Any] | None, kind: str) -> dict[int, Mark]:
    """Returns the marks of one kind (phone, email, address) by contact index."""
    found: dict[int, Mark] = {}
    for index, raw in ((coverage or {}).get(kind) or {}).items():
        if isinstance(raw, dict) and str(index).isdigit():
            found[int(index)] = Mark(
                str(raw.get("evidence") or DEFAULT_EVIDENCE), str(raw.get("scope") or "case")
            )
    return found


def mark_of(coverage: dict[str, Any] | None, kind: str, index: int) -> Mark | None:
    """Returns the mark of one contact, None when nothing covers it."""
    return marks(coverage, kind).get(index)


def with_marks(
    coverage: dict[str, Any] | None, kind: str, indexes: list[int], mark: Mark
) -> dict[str, Any]:
    """Returns a new coverage with the contacts marked; a mark already there stays."""
    result = {k: dict(v) for k, v in (coverage or {}).items() if isinstance(v, dict)}
    pool = result.setdefault(kind, {})
    for index in indexes:
        pool.setdefault(str(index), mark.as_json())
    return result


def coverage_words(coverage: dict[str, Any] | None, kind: str, index: int) -> str:
    """Returns the mark's words for one contact, or "" when nothing covers it."""
    mark = mark_of(coverage, kind, index)
    return mark.words() if mark else ""

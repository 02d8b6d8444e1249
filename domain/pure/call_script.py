"""The clerk's call script, built from the templates in call_script_texts per kind and procedure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain.pure import call_script_texts as texts
from domain.pure.masking import mask_name


@dataclass(frozen=True)
class ScriptSection:
    """One part of the call: a heading and the lines to say (notes start with 提示：)."""

    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class CallScript:
    """The whole script, with the rule version it was made under."""

    title: str
    version: str
    sections: tuple[ScriptSection, ...]


def _unique(lines: Iterable[str]) -> tuple[str, ...]:
    # Several documents can carry the same duty (a complaint copy and a notice to respond).
    return tuple(dict.fromkeys(lines))


def document_label(kind: str, title: str = "") -> str:
    """Returns a document's name in 《》, its own title first, else the kind's usual name."""
    return f"《{title or texts.DOCUMENT_NAMES.get(kind, texts.DOCUMENT_NAMES['other'])}》"


def rights_lines(kinds: Sequence[str], procedure: str) -> tuple[str, ...]:
    """Returns the rights and duties to explain for these document kinds in this procedure."""
    lines: list[str] = []
    for kind in kinds:
        known = kind if (kind, "*") in texts.RIGHTS else "other"
        lines.extend(texts.RIGHTS.get((known, procedure), texts.RIGHTS[(known, "*")]))
    return _unique(lines)


def clerk_notes(kinds: Sequence[str], procedure: str) -> tuple[str, ...]:
    """Returns the notes for the clerk that the documents and the procedure call for."""
    lines = [line for kind in kinds for line in texts.KIND_NOTES.get(kind, ())]
    lines.extend(texts.PROCEDURE_NOTES.get(procedure, ()))
    return _unique(lines)


def script_for(
    *,
    court_name: str,
    case_number: str,
    cause: str,
    procedure: str,
    documents: Sequence[tuple[str, str]],
    party_name: str,
    party_kind: str = "person",
) -> CallScript:
    """Builds the call script for one party; documents are (kind, title) pairs, name masked."""
    kinds = [kind for kind, _ in documents] or ["other"]
    values = {
        "court": court_name,
        "case": case_number,
        "cause": cause,
        "procedure": texts.PROCEDURE_NAMES.get(procedure, procedure),
        "documents": "".join(document_label(kind, title) for kind, title in documents),
        "party": mask_name(party_name),
    }
    parts = {
        "opening": texts.OPENING,
        "identity": texts.IDENTITY.get(party_kind, texts.IDENTITY["person"]),
        "case": texts.CASE,
        "address": texts.ADDRESS,
        "consent": texts.CONSENT,
        "rights": rights_lines(kinds, procedure) + clerk_notes(kinds, procedure),
        "anti_fraud": texts.ANTI_FRAUD_LINES,
        "closing": texts.CLOSING,
    }
    sections = tuple(
        ScriptSection(texts.HEADINGS[key], tuple(line.format(**values) for line in lines))
        for key, lines in parts.items()
    )
    return CallScript(texts.TITLE.format(**values), texts.RULE_VERSION, sections)

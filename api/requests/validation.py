"""Checks of a submission that need more than one field or the deployment's settings."""

from __future__ import annotations

from api.errors import Loc
from api.requests.bodies import PartyIn, SubmissionIn
from domain.settings import Settings

# Which identity field each kind of party must carry (mainland parties; others may lack it).
IDENTITY_FIELD = {
    "person": ("id_number", "a person needs its resident ID number"),
    "organization": ("credit_code", "an organization needs its unified social credit code"),
    "lawyer": ("licence_number", "a lawyer needs its licence number"),
}


def _party_errors(index: int, party: PartyIn, seen: set[str]) -> list[tuple[Loc, str]]:
    errors: list[tuple[Loc, str]] = []
    loc: Loc = ("body", "parties", index)
    if party.ref in seen:
        errors.append((loc + ("ref",), "duplicate party ref; every party needs its own"))
    seen.add(party.ref)
    field, message = IDENTITY_FIELD[party.kind]
    mainland = not party.foreign and party.residence == "mainland"
    if mainland and getattr(party, field) is None:
        errors.append((loc + (field,), message))
    return errors


def check_submission(body: SubmissionIn, settings: Settings) -> list[tuple[Loc, str]]:
    """Returns one message per refused field; empty when the submission may be stored."""
    errors: list[tuple[Loc, str]] = []
    seen: set[str] = set()
    for index, party in enumerate(body.parties):
        errors.extend(_party_errors(index, party, seen))
    limit = settings.max_document_bytes
    for index, document in enumerate(body.documents):
        if len(document.content_base64) > limit:
            loc: Loc = ("body", "documents", index, "content_base64")
            errors.append((loc, f"the document is larger than the limit of {limit} bytes"))
    if body.plan.clock.mode == "accelerated" and not settings.allow_accelerated_clock:
        errors.append(
            (("body", "plan", "clock", "mode"), "accelerated clocks are off in this deployment")
        )
    return errors

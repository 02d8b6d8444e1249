"""What a proof of service says the method rests on: the party's consent or confirmation.

Electronic service served by a delivery report rests on the party's consent at that e-address;
a refused or returned letter on its confirmation of that address (CPL 90, 91). The proof names
the evidence and its scope in the reader's words, e.g. 送达地址确认书（本案）.
"""

from __future__ import annotations

from typing import Any

from domain.pure.consent import Mark, mark_of
from domain.pure.served_on import SERVICE_RULES
from domain.store.contacts import covered, describe
from domain.tables.core import Party, ServiceTask

# Rules whose served-on date rests on a consent (electronic) or a confirmation (mail).
_RESTS_ON = {
    SERVICE_RULES["electronic_reached"].words: ("consent", "电子送达经受送达人同意"),
    SERVICE_RULES["mail_refused"].words: ("confirmation", "送达地址经受送达人确认"),
    SERVICE_RULES["mail_returned_confirmed"].words: ("confirmation", "送达地址经受送达人确认"),
}


def service_basis(task: ServiceTask, target: str, events: list[dict[str, Any]]) -> str:
    """Returns the consent or confirmation the served-on date rests on, with its evidence."""
    finished = [e for e in events if e["kind"] == "finished"]
    rule = str((finished[-1]["detail"] or {}).get("rule", "")) if finished else ""
    if rule not in _RESTS_ON:
        return ""
    covers, words = _RESTS_ON[rule]
    for event in events:
        if event["kind"] != "plan":
            continue
        for item in (event["detail"] or {}).get("covered", []):
            if item.get("contact") == target and item.get("covers") == covers:
                return f"{words}，依据：{item.get('words')}"
    mark = _own_mark(task.party, target, covers)
    return f"{words}，依据：{mark.words()}" if mark else words


def _own_mark(party: Party, target: str, covers: str) -> Mark | None:
    # A contact added after the plan (a clerk's number, an operator's) carries its own mark.
    kinds = ("address",) if covers == "confirmation" else ("phone", "email")
    for kind in kinds:
        pool = {"phone": party.phones, "email": party.emails, "address": party.addresses}[kind]
        for index in range(len(pool or [])):
            label = describe(party, kind, [index])[0].label
            if label == target and covered(party, kind, index):
                return mark_of(party.coverage, kind, index) or Mark()
    return None

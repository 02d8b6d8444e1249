"""What the plan is made from: the party's request data and the address book's view of it.

Labels only, never values of contacts the book knows; `domain.pure.plan` re-exports both classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.pure.consent import Mark
from domain.pure.rules import NoticeSettings


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
    # A consent (e-address) or a confirmation (address) on record that binds this case: given
    # in it, or scoped to every case of this court (never another court's or case's).
    consented: bool = False
    confirmed_address: bool = False
    mark: Mark | None = None  # the evidence and scope of that consent or confirmation


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
    residence: str = "mainland"  # mainland | hong_kong | macao | taiwan | abroad
    known: tuple[KnownContact, ...] = ()  # the address book's view, empty for a new party
    consent_on_record: str = ""  # "2026-03-02, (2026)津0103民初88号" when consent is on record
    extra_reasons: dict[str, str] = field(default_factory=dict)
    # Share of tasks each step served for this kind of party (`domain.store.stats.stats_hint`); it
    # only explains the order in the reasons, the law and the rule table set the order.
    success_rates: dict[str, float] = field(default_factory=dict)
    notice: NoticeSettings = NoticeSettings()  # the court's notice periods (settings)
    # Which submitted contacts a consent or confirmation of this request covers, "phone:0" →
    # its mark; None (rows from before the marks): the booleans cover every submitted one.
    covered: dict[str, Mark] | None = None

    def own_mark(self, kind: str, index: int) -> Mark | None:
        """Returns the request's mark on one submitted contact, None when it has none."""
        if self.covered is not None:
            return self.covered.get(f"{kind}:{index}")
        flag = self.address_confirmed if kind == "address" else self.consent_electronic
        return Mark() if flag else None

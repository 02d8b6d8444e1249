"""What a party's workflow has heard from outside: receipts, outcomes, operator requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from domain.pure.clock import legal_date
from domain.pure.ladder import (
    Clock,
    Contact,
    ContactsChanged,
    ProviderEvent,
    Rung,
    StepControl,
    WorkOrderOutcome,
)

SERVING_RECEIPTS = frozenset({"confirmed"})
FAILED_RECEIPTS = frozenset({"undeliverable", "bounced"})


@dataclass
class Heard:
    """Signals and updates received so far; rungs read it, handlers only append."""

    events: list[ProviderEvent] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)
    cancelled: StepControl | None = None
    interrupt: str = ""  # retry | skip | contacts: ends the current wait early
    outcomes: dict[str, WorkOrderOutcome] = field(default_factory=dict)
    new_contacts: list[ContactsChanged] = field(default_factory=list)

    def add_event(self, event: ProviderEvent) -> None:
        """Keeps an event once: providers deliver at least once, so repeats are expected."""
        key = (event.reference, event.kind)
        if key not in self.seen:
            self.seen.add(key)
            self.events.append(event)

    def events_for(self, reference: str) -> list[ProviderEvent]:
        """Returns the events about one attempt, in arrival order."""
        return [e for e in self.events if e.reference == reference]


@dataclass(frozen=True)
class RungResult:
    """How a rung ended: served (with method and date), or failed with a reason."""

    served_on: str = ""
    method: str = ""
    reason: str = ""
    detail: str = ""
    next_rungs: list[Rung] = field(default_factory=list)


def event_date(clock: Clock, event: ProviderEvent, not_before: datetime | None = None) -> date:
    """Returns the legal date of a provider event on the plan's calendar.

    Receipts stamped to the minute (SMPP's done date) can read earlier than the send itself;
    under an accelerated clock a minute is weeks, so the event never counts before not_before.
    """
    occurred = datetime.fromisoformat(event.occurred_at)
    if not_before is not None and occurred < not_before:
        occurred = not_before
    return legal_date(clock, occurred)


def electronic_verdict(
    heard: Heard, clock: Clock, sent: dict[str, Contact], not_before: datetime | None = None
) -> tuple[date | None, set[str]]:
    """Returns the earliest date an electronic attempt served, and the attempts that failed.

    A delivery report serves only at an address the party consented to (CPL 90); without
    consent only the party's own confirmation in the portal does (Online Rules 32).
    """
    served: date | None = None
    failed: set[str] = set()
    for event in heard.events:
        contact = sent.get(event.reference)
        if contact is None:
            continue
        if event.kind in FAILED_RECEIPTS:
            failed.add(event.reference)
            continue
        serves = event.kind in SERVING_RECEIPTS or (event.kind == "delivered" and contact.confirmed)
        if serves:
            day = event_date(clock, event, not_before)
            served = day if served is None or day < served else served
    return served, failed

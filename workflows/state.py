"""What a party's workflow has heard from outside: receipts, outcomes, operator requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from domain.pure.ladder import (
    Clock,
    Contact,
    ContactsChanged,
    ProviderEvent,
    Rung,
    StepControl,
    WorkOrderOutcome,
)
from domain.pure.served_on import electronic_served, event_day


@dataclass
class Heard:
    """Signals and updates received so far; rungs read it, handlers only append."""

    events: list[ProviderEvent] = field(default_factory=list)
    seen: set[tuple[str, str, str, str]] = field(default_factory=set)
    cancelled: StepControl | None = None
    interrupt: str = ""  # retry | skip | contacts: ends the current wait early
    outcomes: dict[str, WorkOrderOutcome] = field(default_factory=dict)
    new_contacts: list[ContactsChanged] = field(default_factory=list)

    def add_event(self, event: ProviderEvent) -> None:
        """Keeps every event once: providers deliver at least once, so repeats are expected.

        Events of one kind at different times are different facts (a refusal and the letter's
        return, each part of a long SMS), so the time and the part are part of the key.
        """
        key = (event.reference, event.kind, event.occurred_at, event.detail.get("part", ""))
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
    rule: str = ""  # the code of the rule that served (domain.pure.served_on.SERVICE_RULES)
    next_rungs: list[Rung] = field(default_factory=list)


def event_date(clock: Clock, event: ProviderEvent, not_before: datetime | None = None) -> date:
    """Returns the legal date of a provider event on the plan's calendar (see event_day)."""
    return event_day(clock, event, not_before)


def electronic_verdict(
    heard: Heard, clock: Clock, sent: dict[str, Contact], not_before: datetime | None = None
) -> tuple[date | None, set[str]]:
    """Returns the earliest date an electronic attempt served, and the attempts that failed."""
    served, failed = electronic_served(
        clock, heard.events, {ref: c.confirmed for ref, c in sent.items()}, not_before
    )
    return (served.on if served else None), failed

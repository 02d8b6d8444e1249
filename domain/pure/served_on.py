"""The one place a served-on date is computed: each method's legal date and the rule behind it.

Rules are data naming their article, with a version recorded on every decision, so a judge can
check the decision and an amendment is a change here. Pure: workflows and the API import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from domain.pure.clock import BEIJING, legal_date
from domain.pure.ladder import Clock, Plan, ProviderEvent
from domain.pure.legal_calendar import LegalCalendar, LegalDate

SERVICE_RULE_VERSION = "2026.12-s1"


@dataclass(frozen=True)
class ServiceRule:
    """A rule that makes an event serve: its article and its words on the timeline."""

    code: str
    article: str
    words: str  # "article, situation, which date": what the timeline shows the judge
    words_zh: str  # the same for the proof of service


SERVICE_RULES: dict[str, ServiceRule] = {
    r.code: r
    for r in (
        ServiceRule("electronic_reached", "CPL 90; Online Litigation Rules 31",
                    "CPL 90, delivery report at a consented e-address, served on arrival",
                    "民诉法第90条：送达信息到达受送达人同意的电子地址之日为送达日期"),
        ServiceRule("electronic_confirmed", "CPL 90; Online Litigation Rules 31",
                    "CPL 90, the party confirmed receipt, served on confirmation",
                    "民诉法第90条：受送达人确认收悉之日为送达日期"),
        ServiceRule("phone_simple_means", "Interp. 261",
                    "Interp. 261, confirmation recorded by the clerk, served on the call",
                    "民诉法解释第261条：简便方式送达，以当事人确认之日为送达日期"),
        ServiceRule("mail_signed", "CPL 91; Court special post rules 9",
                    "CPL 91, signed for, served on the signing date",
                    "民诉法第91条：以回执上的签收日期为送达日期"),
        ServiceRule("mail_refused", "CPL 91; Court special post rules 11",
                    "CPL 91, refusal, served on return",
                    "民诉法第91条、法院专递规定第11条：拒收的，以退回之日为送达日期"),
        ServiceRule("mail_returned_confirmed", "CPL 91; Court special post rules 11",
                    "CPL 91, returned from the confirmed address, served on return",
                    "民诉法第91条、法院专递规定第11条：确认的送达地址不准确，以退回之日为送达日期"),
        ServiceRule("direct_signed", "CPL 88",
                    "CPL 88, signed at direct service, served on signing",
                    "民诉法第88条：以签收人在送达回证上的签收日期为送达日期"),
        ServiceRule("direct_left", "CPL 89",
                    "CPL 89, left at the address after a recorded refusal, served when left",
                    "民诉法第89条：留置送达，以留置之日为送达日期"),
        ServiceRule("public_notice", "CPL 95; Interp. 138-140",
                    "CPL 95, public notice, served when the period ends",
                    "民诉法第95条：公告期满即视为送达"),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Served:
    """A legal date of service and the code of the rule that set it."""

    on: date
    rule: str

    @property
    def words(self) -> str:
        """Returns the rule as the timeline names it."""
        return SERVICE_RULES[self.rule].words

    @property
    def method(self) -> str:
        """Returns the method (ladder step) the rule belongs to."""
        return "public_notice" if self.rule == "public_notice" else self.rule.split("_", 1)[0]


def read_instant(text: str) -> datetime:
    """Reads an ISO 8601 instant; one without an offset is Beijing time, never the server's."""
    moment = datetime.fromisoformat(text)
    return moment if moment.utcoffset() is not None else moment.replace(tzinfo=BEIJING)


def act_date(clock: Clock, at: str, fallback: datetime) -> date:
    """Returns the legal date of a person's act (signing, the call), else of the fallback."""
    return legal_date(clock, read_instant(at) if at else fallback)


def event_day(clock: Clock, event: ProviderEvent, not_before: datetime | None = None) -> date:
    """Returns the legal date of a provider event, never before not_before.

    Receipts stamped to the minute (SMPP's done date) can read earlier than the send itself;
    under an accelerated clock a minute is weeks, so the event never counts before the send.
    """
    occurred = read_instant(event.occurred_at)
    if not_before is not None and occurred < not_before:
        occurred = not_before
    return legal_date(clock, occurred)


def notice_effective(issued: date, plan: Plan, calendar: LegalCalendar) -> LegalDate:
    """Returns the day a public notice serves: issue date plus the plan's period (CPL 85, 95)."""
    # Days for the mainland and abroad (CPL 283), months for Hong Kong, Macao and Taiwan; the
    # start day is not counted; a last day off work rolls to the next workday (a setting).
    roll = plan.public_notice_roll
    if plan.public_notice_months > 0:
        return calendar.add_months(issued, plan.public_notice_months, roll=roll)
    return calendar.add_days(issued, plan.public_notice_days, roll=roll)


def is_return(event: ProviderEvent) -> bool:
    """Tells whether a tracking event says the letter came back to the court."""
    return event.kind == "returned"


def mail_served(
    clock: Clock,
    events: Iterable[ProviderEvent],
    *,
    address_ok: bool,
    mediation: bool,
    not_before: datetime | None = None,
) -> Served | None:
    """Returns how a letter served, or None (CPL 91; Court special post rules 9, 11).

    Signed: the signing date. Refused: the return date, and only at an address the party
    confirmed (or its registered address), never for a mediation statement (Interp. 133).
    Returned otherwise: the return date from a confirmed address; else not served.
    """
    ordered = sorted(events, key=lambda e: read_instant(e.occurred_at))
    refused = False
    for event in ordered:
        if event.kind == "signed":
            return Served(event_day(clock, event, not_before), "mail_signed")
        if event.kind == "refused":
            refused = True
        if not is_return(event):
            continue
        refusal = refused or event.detail.get("reason") == "refused"
        if mediation or not address_ok:
            return None
        rule = "mail_refused" if refusal else "mail_returned_confirmed"
        return Served(event_day(clock, event, not_before), rule)
    return None


def letter_ended(events: Iterable[ProviderEvent]) -> bool:
    """Tells whether tracking reached its end: signed for, or back at the court."""
    return any(e.kind == "signed" or is_return(e) for e in events)


SERVING_RECEIPTS = frozenset({"confirmed"})
FAILED_RECEIPTS = frozenset({"undeliverable", "bounced"})


def _reached(events: list[ProviderEvent]) -> ProviderEvent | None:
    """Returns the report that completes a message: every part of a long SMS delivered.

    A long SMS is several parts, each with its own report, and the link may be in the last;
    the message reached the party when the last of its parts did (issue 12, item 11).
    """
    delivered = [e for e in events if e.kind == "delivered"]
    if not delivered:
        return None
    parts = max(int(e.detail.get("parts", "1") or "1") for e in delivered)
    by_part = {int(e.detail.get("part", "1") or "1"): e for e in delivered}
    if not set(range(1, parts + 1)) <= set(by_part):
        return None
    return max(by_part.values(), key=lambda e: read_instant(e.occurred_at))


def electronic_served(
    clock: Clock,
    events: Iterable[ProviderEvent],
    consented: dict[str, bool],
    not_before: datetime | None = None,
) -> tuple[Served | None, set[str]]:
    """Returns the earliest electronic service among the attempts, and those that failed.

    `consented` maps each attempt's reference to whether the party's consent covers its
    address. A delivery report serves only there (CPL 90); without consent only the party's
    own confirmation in the portal does (Online Litigation Rules 31-32).
    """
    mine: dict[str, list[ProviderEvent]] = {}
    for event in events:
        if event.reference in consented:
            mine.setdefault(event.reference, []).append(event)
    best: Served | None = None
    failed: set[str] = set()
    for reference, found in mine.items():
        if any(e.kind in FAILED_RECEIPTS for e in found):
            failed.add(reference)
        candidates = [Served(event_day(clock, e, not_before), "electronic_confirmed")
                      for e in found if e.kind in SERVING_RECEIPTS]  # fmt: skip
        reached = _reached(found) if consented[reference] else None
        if reached is not None:
            candidates.append(Served(event_day(clock, reached, not_before), "electronic_reached"))
        for candidate in candidates:
            if best is None or candidate.on < best.on:
                best = candidate
    return best, failed


def late_served(
    clock: Clock,
    events: Iterable[ProviderEvent],
    electronic: dict[str, bool],
    letters: dict[str, bool],
    *,
    mediation: bool,
) -> Served | None:
    """Returns the earliest service by attempts of rungs already left behind, or None.

    A party who confirms in the portal on day 4, or a letter signed after the mail rung's wait,
    is served all the same (issue 12, item 4): `electronic` maps each earlier e-attempt to
    whether consent covers it, `letters` each earlier letter to whether its address is confirmed.
    """
    found = list(events)
    best, _failed = electronic_served(clock, found, electronic)
    for reference, address_ok in letters.items():
        mine = [e for e in found if e.reference == reference]
        served = mail_served(clock, mine, address_ok=address_ok, mediation=mediation)
        if served is not None and (best is None or served.on < best.on):
            best = served
    return best

"""Service windows against the case's dates: the latest day each party may be served.

Rules as data naming their article, with a version recorded on every warning, so an amendment
is a change here. Pure and deterministic: the workflow, the API and `songda what-if` use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from domain.pure.legal_calendar import LegalCalendar, LegalDate

DEADLINE_RULE_VERSION = "2026.12-d1"

# How far back the answer-period search may look; a hearing is never a year after service.
_MAX_SEARCH_DAYS = 400


@dataclass(frozen=True)
class WindowRule:
    """A service window: which documents, counted from which case date, how many days."""

    code: str
    article: str
    kinds: frozenset[str]  # document kinds it governs
    anchor: str  # accepted (立案) | hearing (开庭) | pronounced (当庭宣判)
    days: int  # a setting; the default is the law's
    roll: bool  # a last day off work rolls to the next workday (CPL 85); never for "before"
    words_zh: str  # what the judge reads
    procedures: frozenset[str] = frozenset()  # empty: every procedure


WINDOW_RULES: tuple[WindowRule, ...] = (
    WindowRule("complaint_copy", "CPL 128", frozenset({"complaint_copy"}), "accepted", 5, True,
               "民诉法第128条：立案之日起五日内将起诉状副本发送被告"),
    WindowRule("hearing_notice", "CPL 139", frozenset({"summons", "hearing_notice"}), "hearing",
               3, False, "民诉法第139条：开庭三日前通知当事人"),
    WindowRule("answer_period", "CPL 128", frozenset({"complaint_copy", "response_notice"}),
               "hearing", 15, True, "民诉法第128条：被告收到起诉状副本之日起十五日内提出答辩状，"
               "答辩期满后方可开庭", frozenset({"ordinary"})),
    WindowRule("judgment", "CPL 151", frozenset({"judgment"}), "pronounced", 10, True,
               "民诉法第151条：当庭宣判的，应当在十日内发送判决书"),
)  # fmt: skip

SETTING_NAMES = frozenset(r.code for r in WINDOW_RULES)


@dataclass(frozen=True)
class CaseDates:
    """The case's dates the windows count from; any may be unknown."""

    accepted_on: date | None = None
    hearing_on: date | None = None
    pronounced_on: date | None = None

    def anchor(self, name: str) -> date | None:
        """Returns the case date a window counts from."""
        return {"accepted": self.accepted_on, "hearing": self.hearing_on,
                "pronounced": self.pronounced_on}[name]  # fmt: skip


@dataclass(frozen=True)
class Latest:
    """The latest legal service date for a party and the window that sets it."""

    on: date
    rule: str
    article: str
    words_zh: str
    confirmed: bool  # false when a year without holiday data was consulted
    rule_version: str = DEADLINE_RULE_VERSION


def window_rules(days: Mapping[str, int] | None = None) -> tuple[WindowRule, ...]:
    """Returns the window rules with the court's settings (days per rule code) applied."""
    chosen = dict(days or {})
    unknown = set(chosen) - SETTING_NAMES
    if unknown:
        raise ValueError(f"unknown service windows: {', '.join(sorted(unknown))}")
    return tuple(replace(r, days=chosen.get(r.code, r.days)) for r in WINDOW_RULES)


def parse_window_days(text: str) -> dict[str, int]:
    """Reads "code=days,code=days" (the SONGDA_SERVICE_WINDOW_DAYS setting); raises if wrong."""
    found: dict[str, int] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        code, sep, days = pair.partition("=")
        if not sep or not days.strip().isdigit():
            raise ValueError(f"service window setting {pair!r} is not code=days")
        found[code.strip()] = int(days)
    window_rules(found)  # names an unknown code
    return found


def _answer_latest(hearing: date, days: int, calendar: LegalCalendar) -> LegalDate:
    # The answer period (start day excluded, rolled) must have ended before the hearing day:
    # the latest service day d with add_days(d, days) < hearing. Rolling is monotonic, so the
    # first day that fits, searching back, is the latest.
    candidate = hearing - timedelta(days=days + 1)
    for _ in range(_MAX_SEARCH_DAYS):
        end = calendar.add_days(candidate, days)
        if end.value < hearing:
            return LegalDate(candidate, end.confirmed, end.unconfirmed_years)
        candidate -= timedelta(days=1)
    raise ValueError("no service day fits the answer period before the hearing")


def window_latest(rule: WindowRule, dates: CaseDates, calendar: LegalCalendar) -> LegalDate | None:
    """Returns the latest service day one window allows, or None when its date is unknown."""
    anchor = dates.anchor(rule.anchor)
    if anchor is None:
        return None
    if rule.code == "answer_period":
        return _answer_latest(anchor, rule.days, calendar)
    if rule.anchor == "hearing":
        # "At least N days before the hearing": the notice must be in hand by then; rolling a
        # backward deadline forward would shorten the party's time, so it never rolls.
        return LegalDate(anchor - timedelta(days=rule.days), True)
    return calendar.add_days(anchor, rule.days, roll=rule.roll)


def latest_service(
    kinds: Iterable[str],
    procedure: str,
    dates: CaseDates,
    calendar: LegalCalendar,
    rules: tuple[WindowRule, ...] = WINDOW_RULES,
) -> Latest | None:
    """Returns the earliest of the windows the party's documents fall under, or None."""
    documents = set(kinds)
    best: Latest | None = None
    for rule in rules:
        if not documents & rule.kinds or (rule.procedures and procedure not in rule.procedures):
            continue
        found = window_latest(rule, dates, calendar)
        if found is None or (best is not None and best.on <= found.value):
            continue
        best = Latest(found.value, rule.code, rule.article, rule.words_zh, found.confirmed)
    return best


@dataclass(frozen=True)
class Remedy:
    """What the law lets the court do for a party at risk, and where it is done."""

    code: str
    article: str
    words_zh: str


REMEDIES: tuple[Remedy, ...] = (
    Remedy("direct", "CPL 88",
           "直接送达：跳过其余方式，由法警直接送达（民诉法第88条；"
           "POST /v1/tasks/{id}/skip-to-direct）"),
    Remedy("contacts", "CPL 90; Online Litigation Rules 29",
           "补充联系方式：新的手机号码、电子邮箱或地址会被优先尝试"
           "（POST /v1/tasks/{id}/contacts）"),
    Remedy("move_hearing", "CPL 139",
           "变更开庭日期：无法在开庭三日前送达的，另定开庭日期并重新提交 hearing_at"),
)  # fmt: skip

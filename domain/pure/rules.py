"""The rule table: legal waits and preconditions as versioned data, each naming its source.

An amendment of the law is a change here and a new RULE_VERSION; every plan records the version
that chose it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# 2026.11-2: the plan reads the party's history (address book, consent on record), lawyers and
# organizations get their own ladders, reasons name their evidence.
RULE_VERSION = "2026.11-2"

# How long each rung waits for its outcome before the ladder moves on (settings of the centre):
# calendar days for machines, workdays for people's work orders (phone, direct).
WAIT_DAYS = {
    "electronic": 3.0,
    "phone": 3.0,
    "mail": 10.0,
    "direct": 5.0,
}

# CPL 95: deemed served once the period has passed from the issue date.
PUBLIC_NOTICE_DAYS = 30
PUBLIC_NOTICE_DAYS_FOREIGN = 60  # CPL 283 (2023)
# Hong Kong and Macao (法释〔2009〕2号), Taiwan (法释〔2008〕4号): 3 months; whether these follow
# the 60-day foreign rule is unsettled, so it is a setting (DOMAIN.md).
PUBLIC_NOTICE_MONTHS_HMT = 3
RESIDENCES = ("mainland", "hong_kong", "macao", "taiwan", "abroad")
HMT = frozenset({"hong_kong", "macao", "taiwan"})


@dataclass(frozen=True)
class NoticeSettings:
    """The court's notice periods (settings; defaults per DOMAIN.md) and whether they roll."""

    days: int = PUBLIC_NOTICE_DAYS
    abroad_days: int = PUBLIC_NOTICE_DAYS_FOREIGN
    hmt_months: int = PUBLIC_NOTICE_MONTHS_HMT
    roll: bool = True  # a last day that is no workday rolls to the next workday (CPL 85)


@dataclass(frozen=True)
class NoticePeriod:
    """A public notice's period for one party: days or months, and the law that sets it."""

    days: int
    months: int
    source: str


def notice_period(residence: str, settings: NoticeSettings) -> NoticePeriod:
    """Returns the notice period for where the party resides (CPL 95, 283; SPC HMT rules)."""
    if residence in HMT:
        source = "法释〔2008〕4号" if residence == "taiwan" else "法释〔2009〕2号"
        return NoticePeriod(0, settings.hmt_months, f"SPC rules for {residence}, {source}")
    if residence == "abroad":
        return NoticePeriod(settings.abroad_days, 0, "CPL 283")
    return NoticePeriod(settings.days, 0, "")  # CPL 95, which the notice rung names anyway


# Interp. 140: no public notice in simplified procedure (small claims is a form of it).
NO_PUBLIC_NOTICE_PROCEDURES = frozenset({"simplified", "small_claims"})
# Mediation statements: no leaving, no public notice, no simple means (Interp. 133).
MEDIATION_KINDS = frozenset({"mediation"})
# Simple means never serve judgments or rulings (Interp. 261).
NOT_BY_SIMPLE_MEANS = frozenset({"judgment", "ruling", "mediation"})
# Served electronically only with the party's consent (CPL 90 since 2022-01-01): without it
# the message is a reminder, whatever the document.
CONSENT_NAMED_KINDS = frozenset({"judgment", "ruling", "mediation"})

# The address book's history (settings of the centre). A contact with this many failures since
# its last success, or with no confidence left, is dead: machines do not try it again.
DEAD_FAILURES = 3
DEAD_CONFIDENCE = 0.0
# A submitted contact the book does not know ranks as a new book entry from a request would;
# a book contact goes before it only when proven (a success on record) and trusted more.
SUBMITTED_CONFIDENCE = 0.5

SOURCES = {
    "electronic_consent": "CPL 90; Online Litigation Rules 29",
    "electronic_reminder": "Online Litigation Rules 31-32",
    "electronic_documents": "CPL 90",
    "simple_means": "Interp. 261",
    "phone": "Online Litigation Rules 30",
    "mail": "CPL 91",
    "direct": "CPL 88",
    "public_notice": "CPL 95; Interp. 138-140",
    "other_litigation": "2017 Opinions on service, item 8",
}


@dataclass(frozen=True)
class KindRule:
    """The default ladder of one kind of party, and why it departs from a person's."""

    order: tuple[str, ...]  # the rungs before public notice, in order
    # A sentence per step, naming its source, added to that rung's reason.
    notes: dict[str, str] = field(default_factory=dict)
    # The bailiff goes only when no electronic contact is known (the note of "direct" says why).
    direct_only_without_electronic: bool = False


PERSON = KindRule(order=("electronic", "phone", "mail", "direct"))

KIND_RULES = {
    "person": PERSON,
    "organization": KindRule(
        order=("electronic", "mail", "phone", "direct"),
        notes={
            "electronic": "an organization is tried first at an e-address it uses (CPL 90)",
            "mail": (
                "posted early, before a call: staff of the organization's office or mail room "
                "sign for court post, and its registered domicile is the address of last resort "
                "(Court special post rules Art 9; 2017 Opinions on service, item 9)"
            ),
            "direct": (
                "at the organization's mail room or office: its representative or the staff "
                "receiving its mail sign (CPL 88)"
            ),
        },
    ),
    "lawyer": KindRule(
        order=("electronic", "phone", "mail", "direct"),
        notes={
            "electronic": (
                "lawyers are expected to accept e-service, so it comes first (centre setting; "
                "consent still decides what serves, CPL 90)"
            ),
            "mail": "posted to the law firm (CPL 91)",
            "direct": (
                "a bailiff serves a lawyer only when no electronic contact is known, "
                "or before public notice (centre setting; CPL 88, 95)"
            ),
        },
        direct_only_without_electronic=True,
    ),
}


def kind_rule(kind: str) -> KindRule:
    """Returns the rule of a kind of party; an unknown kind is treated as a person."""
    return KIND_RULES.get(kind, PERSON)

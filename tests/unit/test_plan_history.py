"""The plan with the party's history: book contacts, consent on record, dead contacts, kinds."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest

from domain.pure import rules
from domain.pure.consent import Mark
from domain.pure.ladder import Clock, Plan, Step
from domain.pure.plan import KnownContact, PartyFacts, make_plan

PHONE = "13812345678"
PHONE_2 = "15900001111"
EMAIL = "zhangsan@example.com"
ADDRESS = "天津市河西区友谊路35号2单元301室"
CASE = "(2026)津0103民初88号"
CONSENT = f"2026-03-02, {CASE}"

P, P2, E, A = "138****5678", "159****1111", "z***@example.com", "天津市河西区…"
BOOK_PHONE, DEAD_PHONE, BOOK_ADDRESS = "139****0000", "137****1111", "北京市朝阳区…"
E_, PH, M, D, N = Step.ELECTRONIC, Step.PHONE, Step.MAIL, Step.DIRECT, Step.PUBLIC_NOTICE

BASE = PartyFacts(
    kind="person",
    procedure="ordinary",
    document_kinds=("summons", "complaint_copy"),
    consent_electronic=False,
    address_confirmed=False,
    phones=(PHONE,),
    addresses=(ADDRESS,),
    has_id_number=True,
)


def book_phone(confidence: float = 0.9, **changes: object) -> KnownContact:
    """A phone the address book learned in another case (not in this request)."""
    known = KnownContact("phone", BOOK_PHONE, "observed", confidence, 0)
    return replace(known, **changes)


PROVEN = {"last_success_case": CASE, "last_success_on": "2026-03-05"}
DEAD_BOOK_PHONE = KnownContact(
    "phone", DEAD_PHONE, "observed", 0.0, 1, failures=3, last_failure_reason="undeliverable"
)
RETURNED_ADDRESS = KnownContact(
    "address",
    A,
    "submitted",
    0.0,
    0,
    in_request=True,
    failures=2,
    last_failure_reason="no_such_recipient",
)

WRONG_NUMBER = replace(
    RETURNED_ADDRESS, kind="phone", label=P, failures=1, last_failure_reason="wrong_number"
)
MOVED_AWAY = KnownContact(
    "address", BOOK_ADDRESS, "observed", 0.0, 0, failures=1, last_failure_reason="moved_unknown"
)


@dataclass(frozen=True)
class Situation:
    """A party's facts and what its plan must say: steps, contacts per rung, reasons, skips."""

    facts: dict[str, object]
    steps: list[Step]
    contacts: dict[Step, list[tuple[str, str, bool]]] = field(default_factory=dict)
    reasons: dict[Step, tuple[str, ...]] = field(default_factory=dict)
    not_in_reasons: dict[Step, tuple[str, ...]] = field(default_factory=dict)
    skipped: tuple[str, ...] = ()
    repair: bool = False


SITUATIONS = {
    "no history: the request alone, as before": Situation(
        {},
        [E_, PH, M, D, N],
        {E_: [(P, "submitted", False)], M: [(A, "submitted", False)]},
        {E_: ("reminder", "no consent in the request or on record", f"relies on {P} (submitted)")},
    ),
    "consent on record makes a proven known phone confirmed, first": Situation(
        {"known": (book_phone(**PROVEN, consented=True),), "consent_on_record": CONSENT},
        [E_, PH, M, D, N],
        {
            E_: [(BOOK_PHONE, "book", True), (P, "submitted", False)],
            PH: [(BOOK_PHONE, "book", True), (P, "submitted", False)],
        },
        {
            E_: (
                f"{BOOK_PHONE} consented 2026-03-02",
                f"served at this number in {CASE}",
                "delivery report serves",
                "at the other e-addresses the message is a reminder",
                "address book, observed",
                "on 2026-03-05",
                "consent on record",
            ),
        },
    ),
    "a consent on record covers only the contacts it names": Situation(
        {"known": (book_phone(),), "consent_on_record": CONSENT},
        [E_, PH, M, D, N],
        {E_: [(P, "submitted", False), (BOOK_PHONE, "book", False)]},
        {E_: ("reminder", "consent on record (2026-03-02", "covers none of these addresses")},
        {E_: ("delivery report serves",)},
    ),
    "a known phone not in the request follows the submitted one": Situation(
        {"known": (book_phone(0.95),)},
        [E_, PH, M, D, N],
        {
            E_: [(P, "submitted", False), (BOOK_PHONE, "book", False)],
            PH: [(P, "submitted", False), (BOOK_PHONE, "book", False)],
        },
        {E_: (f"{BOOK_PHONE} (address book, observed; confidence 0.95)",)},
    ),
    "a proven known phone that is not trusted more still follows": Situation(
        {"known": (book_phone(0.4, **PROVEN),)},
        [E_, PH, M, D, N],
        {E_: [(P, "submitted", False), (BOOK_PHONE, "book", False)]},
    ),
    "fresh submitted contacts go before stale ones": Situation(
        {
            "phones": (PHONE, PHONE_2),
            "known": (
                KnownContact(
                    "phone", P, "submitted", 0.1, 0, in_request=True, last_success_on="2021-06-01"
                ),
                KnownContact("phone", P2, "confirmed", 0.8, 1, in_request=True, **PROVEN),
            ),
        },
        [E_, PH, M, D, N],
        {E_: [(P2, "submitted", False), (P, "submitted", False)]},
        {E_: ("served on 2021-06-01", "confidence 0.10", f"served in {CASE} on 2026-03-05")},
    ),
    "a dead phone from history is skipped": Situation(
        {"known": (DEAD_BOOK_PHONE,)},
        [E_, PH, M, D, N],
        {E_: [(P, "submitted", False)], PH: [(P, "submitted", False)]},
        {N: ("history of 1 skipped contact",)},
        skipped=(
            f"SMS and calls to {DEAD_PHONE} skipped: the last three tries failed (undeliverable)",
        ),
    ),
    # No usable number: the operators are asked first, the clerk still checks the dead one.
    "a dead submitted phone is left to the clerk": Situation(
        {"known": (WRONG_NUMBER,)},
        [E_, PH, M, D, N],
        {E_: [], PH: [(P, "submitted", False)]},
        {PH: ("the clerk also checks", "the last try failed (wrong number)", "CPL 95")},
        skipped=(f"SMS to {P} skipped: the last try failed (wrong number)",),
        repair=True,
    ),
    "two returned letters: mail skipped, the bailiff checks": Situation(
        {"known": (RETURNED_ADDRESS,)},
        [E_, PH, D, N],
        {D: [(A, "submitted", False)]},
        {D: ("the bailiff also checks", "the last two letters failed (no such recipient)")},
        skipped=(
            f"mail to {A} skipped: the last two letters failed (no such recipient)",
            "mail skipped: no live postal address",
        ),
    ),
    "an address from another case follows the submitted one": Situation(
        {"known": (KnownContact("address", BOOK_ADDRESS, "clerk", 0.7, 0),)},
        [E_, PH, M, D, N],
        {
            M: [(A, "submitted", False), (BOOK_ADDRESS, "book", False)],
            D: [(A, "submitted", False), (BOOK_ADDRESS, "book", False)],
        },
        {M: ("addresses known from other cases", "2017 Opinions on service, item 8")},
    ),
    "a dead address from the book is left out of mail and direct": Situation(
        {"known": (MOVED_AWAY,)},
        [E_, PH, M, D, N],
        {M: [(A, "submitted", False)], D: [(A, "submitted", False)]},
        skipped=(
            f"mail and direct service to {BOOK_ADDRESS} skipped: the last letter failed "
            "(moved unknown)",
        ),
    ),
    # Issue 12, item 7: never public notice without a visit to the firm, e-contacts or not.
    "lawyer: electronic first, post to the firm, the bailiff before notice": Situation(
        {"kind": "lawyer", "emails": (EMAIL,), "has_id_number": False},
        [E_, PH, M, D, N],
        {E_: [(P, "submitted", False), (E, "submitted", False)]},
        {
            E_: ("lawyers are expected to accept e-service", "reminder"),
            M: ("law firm",),
            D: ("or before public notice",),
        },
    ),
    "lawyer in simplified procedure: no notice, so no bailiff": Situation(
        {"kind": "lawyer", "emails": (EMAIL,), "has_id_number": False, "procedure": "simplified"},
        [E_, PH, M],
        {E_: [(P, "submitted", False), (E, "submitted", False)]},
        {M: ("law firm",)},
        skipped=("direct skipped: a bailiff serves a lawyer only when no electronic contact",),
    ),
    "lawyer without electronic contact: the bailiff goes": Situation(
        {"kind": "lawyer", "phones": (), "has_id_number": False},
        [M, D, N],
        {D: [(A, "submitted", False)]},
        {D: ("only when no electronic contact is known",)},
    ),
    "organization: post early, bailiff at the mail room": Situation(
        {"kind": "organization", "emails": (EMAIL,), "has_id_number": False},
        [E_, M, PH, D, N],
        {E_: [(P, "submitted", False), (E, "submitted", False)]},
        {
            E_: ("e-address it uses",),
            M: ("before a call", "mail room", "Court special post rules Art 9"),
            D: ("mail room", "CPL 88"),
        },
    ),
    "judgment without any consent: a reminder only": Situation(
        {"document_kinds": ("judgment",)},
        [E_, PH, M, D, N],
        {E_: [(P, "submitted", False)]},
        {
            E_: (
                "reminder only",
                "judgment",
                "consent (CPL 90)",
                "delivery report does not serve",
                "portal",
            )
        },
        {E_: ("delivery report serves",)},
    ),
    "judgment with consent on record at the known number": Situation(
        {
            "document_kinds": ("judgment",),
            "consent_on_record": CONSENT,
            "known": (
                KnownContact(
                    "phone", P, "submitted", 0.8, 0, in_request=True, consented=True, **PROVEN
                ),
            ),
        },
        [E_, PH, M, D, N],
        {E_: [(P, "submitted", True)]},
        {E_: (f"{P} consented 2026-03-02", "delivery report serves")},
        {E_: ("reminder",)},
    ),
    "summons with consent in the request": Situation(
        {"consent_electronic": True},
        [E_, PH, M, D, N],
        {E_: [(P, "submitted", True)]},
        {E_: ("the party consented at the submitted addresses", "delivery report serves")},
    ),
    "the request's consent does not cover numbers the repair finds": Situation(
        {"consent_electronic": True, "phones": (), "document_kinds": ("mediation",)},
        [E_, PH, M, D],
        {E_: [], PH: []},
        {E_: ("mediation statement", "consent in the request covers none", "reminder only")},
        {E_: ("delivery report serves", "no consent in the request")},
        repair=True,
    ),
    "no repair when the book knows a live phone": Situation(
        {"phones": (), "known": (book_phone(),)},
        [E_, PH, M, D, N],
        {E_: [(BOOK_PHONE, "book", False)], PH: [(BOOK_PHONE, "book", False)]},
        repair=False,
    ),
    "repair when the book's only phone is dead": Situation(
        {"phones": (), "known": (DEAD_BOOK_PHONE,)},
        [E_, PH, M, D, N],
        {E_: [], PH: []},
        {E_: ("telecom operators",)},
        repair=True,
    ),
    "statistics explain, the rule keeps the order": Situation(
        {
            "kind": "organization",
            "has_id_number": False,
            "success_rates": {"electronic": 0.4, "mail": 0.92, "phone": 0.3, "direct": 0.5},
        },
        [E_, M, PH, D, N],
        reasons={
            E_: (
                "electronic service succeeds for 40% of organizations",
                "kept before mail (92%), direct (50%)",
                "win over statistics",
            ),
            M: ("mail succeeds for 92% of organizations",),
            PH: ("kept before direct (50%)",),
        },
        not_in_reasons={M: ("kept before",), N: ("succeeds",)},
    ),
    "statistics never override consent or the legal order": Situation(
        {"consent_electronic": True, "success_rates": {"electronic": 0.1, "mail": 0.95}},
        [E_, PH, M, D, N],
        {E_: [(P, "submitted", True)]},
        {E_: ("delivery report serves", "kept before mail (95%)")},
    ),
}


def plan_of(situation: Situation) -> Plan:
    return make_plan(replace(BASE, **situation.facts), Clock())


@pytest.mark.parametrize("name", SITUATIONS)
def test_situation(name: str) -> None:
    situation = SITUATIONS[name]
    plan = plan_of(situation)
    assert [r.step for r in plan.rungs] == situation.steps
    rungs = {r.step: r for r in plan.rungs}
    for step, expected in situation.contacts.items():
        got = [(c.label, c.source, c.confirmed) for c in rungs[step].contacts]
        assert got == expected, step
    for step, words in situation.reasons.items():
        for word in words:
            assert word in rungs[step].reason, (step, word)
    for step, words in situation.not_in_reasons.items():
        for word in words:
            assert word not in rungs[step].reason, (step, word)
    for line in situation.skipped:
        assert any(s.startswith(line) for s in plan.skipped), line
    assert plan.repair is situation.repair


@pytest.mark.parametrize("name", SITUATIONS)
def test_rule_version_is_recorded(name: str) -> None:
    plan = plan_of(SITUATIONS[name])
    assert plan.rule_version == rules.RULE_VERSION == "2026.11-2"


@pytest.mark.parametrize("name", SITUATIONS)
def test_no_clear_values_in_the_plan(name: str) -> None:
    situation = SITUATIONS[name]
    facts = replace(BASE, **situation.facts)
    text = repr(plan_of(situation))
    clear = (*facts.phones, *facts.emails, *facts.addresses, "zhangsan", "友谊路35号")
    for value in clear:
        assert value not in text


@pytest.mark.parametrize("name", SITUATIONS)
def test_every_rung_names_its_evidence_and_source(name: str) -> None:
    for rung in plan_of(SITUATIONS[name]).rungs:
        assert "relies on" in rung.reason
        assert any(source in rung.reason for source in ("CPL", "Interp.", "Rules")), rung.step


def test_book_contacts_carry_the_learned_index() -> None:
    known = (book_phone(index=4), KnownContact("email", "l***@firm.cn", "observed", 0.6, 2))
    plan = make_plan(replace(BASE, known=known), Clock())
    electronic = plan.rungs[0].contacts
    assert [(c.kind, c.index, c.source) for c in electronic] == [
        ("phone", 0, "submitted"),
        ("phone", 4, "book"),
        ("email", 2, "book"),
    ]


def test_a_book_address_is_confirmed_only_where_the_book_says_it_binds_this_case() -> None:
    """The book offers a confirmation only when it binds this case (its own, or scope court)."""
    seen = KnownContact("address", BOOK_ADDRESS, "confirmed", 0.9, 0, consented=True, **PROVEN)
    plan = make_plan(replace(BASE, addresses=(), known=(seen,)), Clock())
    mail = next(r for r in plan.rungs if r.step == Step.MAIL)
    assert [(c.label, c.confirmed) for c in mail.contacts] == [(BOOK_ADDRESS, False)]
    assert "return serves" not in mail.reason
    assert "known from other cases" in mail.reason
    court_wide = replace(
        seen, confirmed_address=True, mark=Mark("address_confirmation_form", "court")
    )
    plan = make_plan(replace(BASE, addresses=(), known=(court_wide,)), Clock())
    mail = next(r for r in plan.rungs if r.step == Step.MAIL)
    assert [(c.label, c.confirmed) for c in mail.contacts] == [(BOOK_ADDRESS, True)]
    assert "送达地址确认书（本院全部案件）" in mail.reason


def test_failure_reasons_from_the_book_are_masked() -> None:
    dead = replace(DEAD_BOOK_PHONE, last_failure_reason=f"clerk: {PHONE_2} is not hers")
    plan = make_plan(replace(BASE, known=(dead,)), Clock())
    assert PHONE_2 not in repr(plan)
    assert any(P2 in s for s in plan.skipped)


def test_history_plans_are_deterministic() -> None:
    for situation in SITUATIONS.values():
        assert plan_of(situation) == plan_of(situation)

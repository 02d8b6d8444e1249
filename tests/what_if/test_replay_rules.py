"""Replaying recorded rungs under other rules: waits, the notice period, the call rule."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.pure.legal_calendar import LegalCalendar
from domain.pure.what_if import CURRENT, RULESETS, RecordedRung, RecordedTask, replay, with_settings

CAL = LegalCalendar()
D = date


def _task(*rungs: RecordedRung, method: str, served: date | None) -> RecordedTask:
    planned = ["electronic", "phone", "mail", "direct", "public_notice"]
    return RecordedTask("t1", "P1", "（2026）津0103民初1号", method, served, list(rungs), planned)


# Electronic waited out 3 days, the letter came back early, the notice served 30 days on.
NOTICE = _task(
    RecordedRung("electronic", D(2026, 3, 2), D(2026, 3, 5), timed_out=True),
    RecordedRung("mail", D(2026, 3, 5), D(2026, 3, 9)),
    RecordedRung("public_notice", D(2026, 3, 9), D(2026, 4, 8), served_on=D(2026, 4, 8)),
    method="public_notice", served=D(2026, 4, 8),
)  # fmt: skip
# Electronic waited out, the letter was signed for four days after posting.
MAIL = _task(
    RecordedRung("electronic", D(2026, 3, 2), D(2026, 3, 5), timed_out=True),
    RecordedRung("mail", D(2026, 3, 5), D(2026, 3, 9), served_on=D(2026, 3, 9)),
    method="mail", served=D(2026, 3, 9),
)  # fmt: skip
# The party confirmed in the portal on the third day of the electronic rung.
LATE_CONFIRMATION = _task(
    RecordedRung("electronic", D(2026, 3, 2), D(2026, 3, 5), served_on=D(2026, 3, 5)),
    method="electronic", served=D(2026, 3, 5),
)  # fmt: skip
# Three calls, morning and afternoon (09:00, 10:00, 13:00 Beijing): the rule in force is met.
CALLS = tuple(datetime(2026, 3, 3, h, tzinfo=UTC) for h in (1, 2, 5))
UNREACHABLE = _task(
    RecordedRung("phone", D(2026, 3, 2), D(2026, 3, 3), outcome="unreachable", calls=CALLS),
    RecordedRung("mail", D(2026, 3, 3), D(2026, 3, 7), served_on=D(2026, 3, 7)),
    method="mail", served=D(2026, 3, 7),
)  # fmt: skip


@pytest.mark.parametrize("task", [NOTICE, MAIL, LATE_CONFIRMATION], ids=["notice", "mail", "e"])
def test_the_rules_in_force_reproduce_the_record(task: RecordedTask) -> None:
    again = replay(task, CURRENT, CAL)
    assert not again.differs and again.days_saved == 0


def test_a_longer_notice_period_serves_later() -> None:
    again = replay(NOTICE, with_settings(CURRENT, {"notice_days": "60"}), CAL)
    # 2026-03-09 + 60 = 2026-05-08, a Friday workday.
    assert (again.method, again.served_on, again.days_saved) == (
        "public_notice",
        D(2026, 5, 8),
        -30,
    )


def test_shorter_waits_serve_the_letter_sooner() -> None:
    again = replay(MAIL, RULESETS["2027.01-draft"], CAL)
    assert (again.method, again.served_on, again.days_saved) == ("mail", D(2026, 3, 8), 1)


def test_a_wait_shorter_than_the_answer_leaves_the_outcome_unknown() -> None:
    again = replay(LATE_CONFIRMATION, RULESETS["2027.01-draft"], CAL)
    assert again.method == "" and again.served_on is None and again.days_saved is None
    assert "phone next" in again.note


def test_a_stricter_call_rule_keeps_the_phone_order_open_to_its_due_day() -> None:
    assert not replay(UNREACHABLE, CURRENT, CAL).differs
    strict = with_settings(CURRENT, {"call_min_attempts": "4"})
    again = replay(UNREACHABLE, strict, CAL)
    # Three calls no longer allow "unreachable": the order runs its 3 workdays (to 03-05)
    # before the letter goes out, signed four days later.
    assert (again.served_on, again.days_saved) == (D(2026, 3, 9), -2)


def test_unknown_settings_and_versions_are_named() -> None:
    with pytest.raises(ValueError, match="unknown setting"):
        with_settings(CURRENT, {"notice_weeks": "4"})
    assert "2027.01-draft" in RULESETS and CURRENT.version in RULESETS


def test_a_party_abroad_keeps_its_own_notice_period() -> None:
    abroad = RecordedTask(
        "t2", "P2", "（2026）津0103民初1号", "public_notice", D(2026, 5, 8),
        [RecordedRung("public_notice", D(2026, 3, 9), D(2026, 5, 8), served_on=D(2026, 5, 8))],
        ["public_notice"], 60.0,
    )  # fmt: skip
    assert not replay(abroad, CURRENT, CAL).differs
    assert not replay(abroad, with_settings(CURRENT, {"notice_days": "45"}), CAL).differs

"""The hearing deadline in the ladder: warned at planning and on each slip, and paced sooner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.pure.deadline_io import DeadlineFacts
from domain.pure.ladder import Step, StepControl, TaskStatus
from domain.pure.names import SIGNAL_HEARING_MOVED, SIGNAL_SKIP_TO_DIRECT
from domain.pure.projection import PRIOR_ODDS
from tests.workflows.harness import HOME, PHONE, Ladder, clerk, day, plan, rung
from tests.workflows.stubs import Letter, Script


def _facts(latest_in_days: int) -> DeadlineFacts:
    latest = day(datetime.now(UTC)) + timedelta(days=latest_in_days)
    return DeadlineFacts(latest.isoformat(), "hearing_notice", "CPL 139", True, "2026.12-d1",
                         list(PRIOR_ODDS.values()))  # fmt: skip


async def test_a_party_at_risk_is_warned_and_escalated_sooner(ladder: Ladder) -> None:
    """Projected past its latest date: a deadline_risk event, the judge told, a 1-day rung."""
    script = Script(
        plan(rung(Step.ELECTRONIC, PHONE), rung(Step.MAIL, HOME)),
        letters=[Letter(("signed", 1))],
        deadline=_facts(2),
    )
    outcome = await ladder.run(script)
    risks = script.trail("deadline_risk")
    assert risks and risks[0].detail["latest_on"] == script.deadline.latest_on
    assert risks[0].detail["article"] == "CPL 139"
    warned = script.arguments("warn_deadline_risk")
    assert [w.projected_on for w in warned] == [r.detail["projected_on"] for r in risks]
    # The electronic rung waited one legal day, not three, before the letter went out.
    started = script.calls_of("send_sms")[0].at
    posted = script.calls_of("send_letter")[0].at
    assert timedelta(hours=23) < posted - started < timedelta(days=1, hours=1)
    assert outcome.method == Step.MAIL
    # The facts came with the plan: no activity of their own (issue 16).
    assert script.calls_of("assess_deadline") == []


async def test_a_party_in_time_is_neither_warned_nor_hurried(ladder: Ladder) -> None:
    """A projection within the deadline changes nothing: the rung waits its three days."""
    script = Script(
        plan(rung(Step.ELECTRONIC, PHONE), rung(Step.MAIL, HOME), rung(Step.PUBLIC_NOTICE)),
        letters=[Letter(("signed", 1))],
        deadline=_facts(3 * 365),  # the test server's clock runs ahead across tests
    )
    await ladder.run(script)
    assert script.trail("deadline_risk") == [] and script.arguments("warn_deadline_risk") == []
    posted = script.calls_of("send_letter")[0].at
    assert posted - script.calls_of("send_sms")[0].at >= timedelta(days=3)


async def test_skip_to_direct_leaves_out_every_rung_before_the_bailiff(ladder: Ladder) -> None:
    """The remedy: from the electronic rung straight to direct service (CPL 88)."""
    script = Script(
        plan(rung(Step.ELECTRONIC, PHONE), rung(Step.PHONE, PHONE), rung(Step.MAIL, HOME),
             rung(Step.DIRECT, HOME)),
        answers=[clerk("served_in_person")],
    )  # fmt: skip
    handle = await ladder.start(script)
    await script.wait_for("send_sms")
    await handle.signal(SIGNAL_SKIP_TO_DIRECT, StepControl("judge-zhang", "hearing near"))
    outcome = await ladder.result(handle)
    assert script.steps() == [Step.ELECTRONIC, Step.DIRECT]
    assert (outcome.status, outcome.method) == (TaskStatus.SERVED, Step.DIRECT)
    assert script.failures() == ["skipped by an operator"]


async def test_a_moved_hearing_is_read_again_before_the_next_rung(ladder: Ladder) -> None:
    """The judge moved the hearing: the deadline is read again and the party is in time."""
    script = Script(
        plan(rung(Step.ELECTRONIC, PHONE), rung(Step.MAIL, HOME), rung(Step.PUBLIC_NOTICE)),
        letters=[Letter(("signed", 1))],
        deadline=_facts(2),
    )
    handle = await ladder.start(script)
    await script.wait_for("send_sms")
    script.deadline = _facts(3 * 365)
    await handle.signal(SIGNAL_HEARING_MOVED, StepControl("judge-zhang", "hearing moved"))
    outcome = await ladder.result(handle)
    assert outcome.method == Step.MAIL
    # Read first with the plan, then once more after the move.
    assert len(script.arguments("assess_deadline")) == 1
    assert len(script.trail("deadline_risk")) == 1  # at planning only, not after the move

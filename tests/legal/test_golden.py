"""The golden scenarios (scenarios.yaml) run against the real workflows with stub activities."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from domain.pure.consent import Mark
from domain.pure.ladder import Plan, ProviderEvent, TaskOutcome, WorkOrderOutcome
from domain.pure.legal_calendar import LegalCalendar
from domain.pure.names import SIGNAL_PROVIDER_EVENT
from domain.pure.plan import PartyFacts, make_plan
from domain.pure.served_on import notice_effective
from tests.workflows.harness import CLOCK, Ladder, day
from tests.workflows.stubs import Letter, Script

SCENARIOS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "scenarios.yaml").read_text(encoding="utf-8")
)
ANCHORS = {
    "sent": ("send_sms", "send_email"), "posted": ("send_letter",),
    "opened": ("open_work_order",), "issued": ("publish_notice",),
}  # fmt: skip


def facts(scenario: dict[str, Any]) -> PartyFacts:
    """Returns what the plan is made from: the scenario's party, procedure and documents."""
    party = scenario["party"]
    return PartyFacts(
        kind=party["kind"],
        procedure=scenario["procedure"],
        document_kinds=tuple(scenario["documents"]),
        consent_electronic=party.get("consent", False),
        address_confirmed=party.get("confirmed", False),
        phones=tuple(f"1380000000{i}" for i in range(party.get("phones", 0))),
        addresses=tuple(f"Test Road {i}" for i in range(party.get("addresses", 0))),
        has_id_number=True,
        residence=party.get("residence", "mainland"),
        covered=_covered(party),
    )


def _covered(party: dict[str, Any]) -> dict[str, Mark] | None:
    """Returns the per-contact marks a scenario names (consented_at, confirmed_at), else None."""
    if "consented_at" not in party and "confirmed_at" not in party:
        return None  # the party's booleans cover every submitted contact
    marks = {f"phone:{i}": Mark() for i in party.get("consented_at", [])}
    return marks | {f"address:{i}": Mark() for i in party.get("confirmed_at", [])}


def script(plan: Plan, world: dict[str, Any], start: datetime) -> Script:
    """Returns the world's answers: receipts, letters' tracking, clerks' and bailiffs' outcomes."""
    answers = [
        WorkOrderOutcome("", a["outcome"], "golden scenario", "golden",
                         at=(start + timedelta(days=a["act_days"])).isoformat()
                         if "act_days" in a else "")
        for a in world.get("answers", [])
    ]  # fmt: skip
    letters = [Letter(*(tuple(e) for e in events)) for events in world.get("letters", [])]
    return Script(plan, receipts=world.get("receipts", {}), letters=letters, answers=answers)


async def run(ladder: Ladder, made: Script, late: dict[str, Any] | None) -> TaskOutcome:
    """Runs the task; a late event arrives after the given days, dated from the letter's post."""
    if late is None:
        return await ladder.run(made)
    handle = await ladder.start(made)
    posted = await made.wait_for("send_letter")
    await ladder.env.sleep(timedelta(days=late["after_days"]))
    at = posted.at + timedelta(days=late["day"])
    event = ProviderEvent(posted.arg.reference, late["kind"], at.isoformat())
    await handle.signal(SIGNAL_PROVIDER_EVENT, event)
    return await ladder.result(handle)


def expected_date(made: Script, plan: Plan, start: datetime, served_on: dict[str, Any]) -> str:
    """Returns the served-on date the scenario expects, from its anchor in the world's log."""
    anchor = served_on["anchor"]
    at = start
    if anchor != "start":
        at = next(c.at for c in made.calls if c.name in ANCHORS[anchor])
    if served_on.get("notice"):
        return notice_effective(day(at), plan, LegalCalendar()).value.isoformat()
    return day(at + timedelta(days=served_on["days"])).isoformat()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
async def test_golden_scenario(ladder: Ladder, scenario: dict[str, Any]) -> None:
    """The method, the served-on date and the rule (or the reason) are the law's."""
    plan = make_plan(facts(scenario), CLOCK)
    start = await ladder.env.get_current_time()
    made = script(plan, scenario["world"], start)
    outcome = await run(ladder, made, scenario["world"].get("late"))
    want = scenario["expect"]
    assert outcome.status == want["status"], made.failures()
    if want["status"] != "served":
        assert want["reason"] in outcome.reason
        return
    assert outcome.method == want["method"]
    assert outcome.served_on == expected_date(made, plan, start, want["served_on"])
    assert made.trail("finished")[0].detail["rule"].startswith(want["rule"])
    period = want.get("period", {})
    assert plan.public_notice_days == period.get("days", plan.public_notice_days)
    assert plan.public_notice_months == period.get("months", 0)

"""The fault suite's short form: a few dozen parties while every kind of fault happens once."""

from __future__ import annotations

import time

import httpx

from launcher import Stack
from tests.e2e.support import mobile
from tests.faults import checks
from tests.faults.report import SuiteSize, problems, run_suite, table

SHORT = SuiteSize(
    requests=20,
    rounds=1,
    seconds_per_day=1.0,
    outage_seconds=4.0,
    gap=(0.5, 2.5),
    settle_seconds=300,  # bounded; a passing run ends as soon as every request has
)


def test_every_task_survives_every_kind_of_fault(
    fault_stack: Stack, fault_api: httpx.Client
) -> None:
    figures = run_suite(fault_stack, fault_api, SHORT)
    print(table(figures))
    assert sum(figures["faults"].values()) == 11
    assert figures["events_acknowledged"] > 0 and figures["sends"] > 0
    assert figures["archives_checked"] == figures["completed"] > 0
    assert problems(figures) == [], f"logs in {fault_stack.state_dir / 'logs'}"


def test_the_checks_catch_a_send_songda_never_asked_for(
    fault_stack: Stack, fault_sandbox: httpx.Client
) -> None:
    db = fault_stack.env["DATABASE_URL"]
    before = checks.duplicate_sends(fault_sandbox, db)
    forged = {"to": mobile("1"), "text": "forged", "reference": f"forged:{time.time_ns()}"}
    assert fault_sandbox.post("/gateway/sms", json=forged).status_code == 200
    after = checks.duplicate_sends(fault_sandbox, db)
    assert (after[0] - before[0], after[2] - before[2]) == (1, 1)

"""The fault suite's short form: a few dozen parties while every kind of fault happens once."""

from __future__ import annotations

import httpx

from launcher import Stack
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

"""The workflow sandbox songda's workers and replayers run in."""

from __future__ import annotations

from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

# The sandbox re-imports every non-passthrough module for each workflow run. `domain.pure`
# holds the plan's data types and pure rules (no I/O, no clocks), and the calendar's data is
# large: importing them once per process instead of once per run cut workflow-task CPU by
# about 40% (bench/end_to_end.py, docs/benchmarks.md).
PURE_DOMAIN = ("domain.pure", "chinese_calendar")

# The whole ladder, the modules that define the workflow classes included. Each cached
# workflow kept its own sandboxed copy of whatever was imported afresh: with only `party`,
# `request`, `deadline` and `notice` left in the sandbox a waiting party still held about
# 210 KiB of worker memory and its first workflow task re-executed those modules; passing
# them through cut that to about 140 KiB and the worker's CPU per party by about a fifth
# (issue 16, bench/open_tasks.py). What makes this safe is proven, not assumed: every module
# here imports only the standard library, temporalio, `workflows/` and `domain.pure`, reads
# no clock, environment or randomness, opens no file and declares no `global`
# (tests/architecture), so one import per process serves every run as a fresh one would.
LADDER = ("workflows",)

PASSTHROUGH = (*PURE_DOMAIN, *LADDER)

WORKFLOW_RUNNER = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules(*PASSTHROUGH)
)

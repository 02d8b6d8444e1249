"""The workflow sandbox songda's workers and replayers run in."""

from __future__ import annotations

from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

# The sandbox re-imports every non-passthrough module for each workflow run. `domain` holds
# the plan's data types and pure rules (no I/O, no clocks; its tests keep it so), and the
# calendar's data is large: importing them once per process instead of once per run cut
# workflow-task CPU by about 40% (bench/end_to_end.py, docs/benchmarks.md).
PASSTHROUGH = ("domain.pure", "chinese_calendar")

WORKFLOW_RUNNER = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules(*PASSTHROUGH)
)

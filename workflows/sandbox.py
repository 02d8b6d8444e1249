"""The workflow sandbox songda's workers and replayers run in."""

from __future__ import annotations

from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

# The sandbox re-imports every non-passthrough module for each workflow run. `domain` holds
# the plan's data types and pure rules (no I/O, no clocks; its tests keep it so), and the
# calendar's data is large: importing them once per process instead of once per run cut
# workflow-task CPU by about 40% (bench/end_to_end.py, docs/benchmarks.md).
PURE_DOMAIN = ("domain.pure", "chinese_calendar")

# The ladder's building blocks: the rung mixins, the recorder, what they have heard, the
# activity stubs and options. They import only temporalio, workflows/ and domain.pure
# (tests/architecture), read no clock and keep no module state, so one import per process
# serves every run; re-executing them for each new workflow (and compiling them, where no
# bytecode cache is written, as in a container whose code folder is read-only) was a third of
# the worker's CPU (issue 16, py-spy). The modules that define the workflow classes
# (party, request) are still imported afresh in each run's sandbox.
LADDER_PARTS = (
    "workflows.activity_stubs",
    "workflows.options",
    "workflows.state",
    "workflows.base",
    "workflows.recorder",
    "workflows.late",
    "workflows.people",
    "workflows.notice",
    "workflows.rungs",
    "workflows.contacts",
)

PASSTHROUGH = (*PURE_DOMAIN, *LADDER_PARTS)

WORKFLOW_RUNNER = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules(*PASSTHROUGH)
)

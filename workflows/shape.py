"""One patch marker for a workflow that starts on today's code, instead of one per change.

Each `workflow.patched` that is taken writes a marker and upserts the TemporalChangeVersion
search attribute: two history events per patch on every new workflow, for changes that only
matter to workflows already running when they shipped (a full ladder took nine: 18 of its
events). A party that starts on this code records one marker, SHAPE, before its first
command, and every patch of its shape then counts as taken without a marker of its own.
A party that started earlier replays with the older shape's marker, or with none, and is
answered as it always was. A later change never joins a shape that has run (its workflows lack
the change's code): it goes into a new shape, listed first, with everything of the one before.
"""

from __future__ import annotations

from temporalio import workflow

# The first shape: every patch up to the work orders' timing in the plan.
FIRST_SHAPE = "ladder-shape-2026-12"
FIRST_SHAPE_PATCHES = frozenset(
    {
        "late-service-counts",
        "trail-local-activity",
        "hearing-deadline-projection",
        "hearing-moved-reread",
        "deadline-in-plan",
        "skip-to-direct-service",
        "flash-sms-reminder",
        "refusal-serves-on-return",
        "postal-tracking-polling",
        "work-orders-in-workdays",
        "work-order-reminder-escalation-grace",
        "work-order-new-phone-tried",
        "work-order-policy-in-plan",
        "work-order-closed-locally",
        "repair-after-returned-mail",
        "repaired-numbers-kept",
        "notice-resumes-after-new-contacts",
        "notice-administered-calendar",
        "notice-calendar-recheck",
    }
)

# The current shape: "serving" published with the first rung's step.
SHAPE = "ladder-shape-2026-12b"
SHAPE_PATCHES = FIRST_SHAPE_PATCHES | {"serving-published-with-first-step"}

# A party's shapes, the newest first: a new party takes the first, a replay finds its own.
PARTY_SHAPES = (SHAPE, FIRST_SHAPE)

# The request's own: its archive and hand-back, and its outcome written as a local activity.
REQUEST_SHAPE = "request-shape-2026-12"
REQUEST_SHAPE_PATCHES = frozenset({"archive-and-callback", "request-outcome-local"})

_SHAPES = {
    SHAPE: SHAPE_PATCHES,
    FIRST_SHAPE: FIRST_SHAPE_PATCHES,
    REQUEST_SHAPE: REQUEST_SHAPE_PATCHES,
}

# Kept on the workflow instance: the modules pass through the sandbox and are shared by runs.
_ATTRIBUTE = "_songda_shape"


def begin(shapes: tuple[str, ...] = PARTY_SHAPES) -> None:
    """Decides, once and first in the run, which shape (if any) this workflow runs on.

    A new workflow takes the first shape; a replay is answered by the marker in its history
    (asking for a shape that is not there records nothing while replaying).
    """
    taken = next((shape for shape in shapes if workflow.patched(shape)), "")
    setattr(workflow.instance(), _ATTRIBUTE, taken)


def patched(patch_id: str) -> bool:
    """Tells whether a change applies: by the shape for a current workflow, else by its marker."""
    shape = getattr(workflow.instance(), _ATTRIBUTE, "")
    if shape and patch_id in _SHAPES[shape]:
        return True
    return workflow.patched(patch_id)

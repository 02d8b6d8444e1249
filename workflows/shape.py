"""One patch marker for a workflow that starts on today's code, instead of one per change.

Each `workflow.patched` that is taken writes a marker and upserts the TemporalChangeVersion
search attribute: two history events per patch on every new workflow, for changes that only
matter to workflows already running when they shipped (a full ladder took nine: 18 of its
events). A party that starts on this code records one marker, SHAPE, before its first
command, and every patch in SHAPE_PATCHES then counts as taken without a marker of its own.
A party that started earlier replays without SHAPE in its history and asks each patch as it
always did; a patch added after SHAPE is asked by everyone (add it to a new shape, never to
this one: workflows already running on this shape lack its code).
"""

from __future__ import annotations

from temporalio import workflow

SHAPE = "ladder-shape-2026-12"

SHAPE_PATCHES = frozenset(
    {
        "late-service-counts",
        "serving-published-with-first-step",
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

# The request's own: its archive and hand-back, and its outcome written as a local activity.
REQUEST_SHAPE = "request-shape-2026-12"
REQUEST_SHAPE_PATCHES = frozenset({"archive-and-callback", "request-outcome-local"})

_SHAPES = {SHAPE: SHAPE_PATCHES, REQUEST_SHAPE: REQUEST_SHAPE_PATCHES}

# Kept on the workflow instance: the modules pass through the sandbox and are shared by runs.
_ATTRIBUTE = "_songda_shape"


def begin(shape: str = SHAPE) -> None:
    """Decides, once and first in the run, whether this workflow runs on the current shape."""
    setattr(workflow.instance(), _ATTRIBUTE, shape if workflow.patched(shape) else "")


def patched(patch_id: str) -> bool:
    """Tells whether a change applies: by the shape for a current workflow, else by its marker."""
    shape = getattr(workflow.instance(), _ATTRIBUTE, "")
    if shape and patch_id in _SHAPES[shape]:
        return True
    return workflow.patched(patch_id)

"""A party that starts on today's ladder records one patch marker, not one per change."""

from __future__ import annotations

import json
import re

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory

from domain.pure.ladder import Step, TaskOutcome
from tests.architecture.imports import source_files
from tests.workflows.harness import (
    EMAIL,
    HOME,
    PHONE,
    Ladder,
    clerk,
    consented,
    day,
    plan,
    rung,
    task,
)
from tests.workflows.stubs import Letter, Script
from workflows.shape import (
    FIRST_SHAPE,
    FIRST_SHAPE_PATCHES,
    REQUEST_SHAPE,
    REQUEST_SHAPE_PATCHES,
    SHAPE,
    SHAPE_PATCHES,
)


def _markers(history: WorkflowHistory) -> list[str]:
    """Returns the ids of a history's patch markers, in order."""
    found = []
    for event in history.events:
        attributes = event.marker_recorded_event_attributes
        if (
            event.event_type == EventType.EVENT_TYPE_MARKER_RECORDED
            and attributes.marker_name == "core_patch"
        ):
            found.append(json.loads(attributes.details["patch-data"].payloads[0].data)["id"])
    return found


def _scheduled(history: WorkflowHistory) -> list[str]:
    """Returns the activity types a history scheduled (local activities are markers)."""
    return [
        e.activity_task_scheduled_event_attributes.activity_type.name
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    ]


async def _patch_events(ladder: Ladder, script: Script) -> tuple[TaskOutcome, list[str], int]:
    """Runs a party; returns its outcome, its patch markers and its change-version upserts."""
    handle = await ladder.start(script)
    outcome = await ladder.result(handle)
    history = await handle.fetch_history()
    upserts = 0
    for event in history.events:
        if event.event_type == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
            fields = event.upsert_workflow_search_attributes_event_attributes.search_attributes
            upserts += "TemporalChangeVersion" in fields.indexed_fields
    markers = _markers(history)
    return outcome, markers, upserts


async def test_an_electronic_party_records_only_the_shape(ladder: Ladder) -> None:
    """Late service, the local trail, the deadline watch and the flash reminder: one marker."""
    script = Script(plan(rung(Step.ELECTRONIC, PHONE, EMAIL)), receipts={"email": "confirmed"})
    _, markers, upserts = await _patch_events(ladder, script)
    assert script.arguments("send_sms")[1].flash  # the flash reminder's patch was taken
    assert script.trail("finished")  # so was the local trail's
    assert (markers, upserts) == ([SHAPE], 1)


async def test_a_refused_letter_takes_the_shapes_patches(ladder: Ladder) -> None:
    """Refusal serves on the return date (a patch of the shape), with no marker of its own."""
    script = Script(
        plan(rung(Step.MAIL, consented(HOME))), letters=[Letter(("refused", 2), ("returned", 5))]
    )
    outcome, markers, _ = await _patch_events(ladder, script)
    assert markers == [SHAPE]
    assert outcome.served_on == day(script.calls_of("track_letter")[-1].at).isoformat()


def test_the_shape_names_only_patches_the_workflows_ask() -> None:
    """A misspelt id in the shape would leave its change unapplied for every new party."""
    defined = set()
    for name, path in source_files():
        if name.startswith("workflows."):
            defined |= set(re.findall(r'_PATCH = "([a-z0-9-]+)"', path.read_text(encoding="utf-8")))
    assert SHAPE_PATCHES | REQUEST_SHAPE_PATCHES <= defined | {"archive-and-callback"}
    # A shape that has run is never changed: the next one holds all of it and more.
    assert FIRST_SHAPE_PATCHES < SHAPE_PATCHES
    assert not {SHAPE, FIRST_SHAPE, REQUEST_SHAPE} & defined


async def test_a_request_records_its_shape_and_its_outcome_locally(ladder: Ladder) -> None:
    """The request's outcome is a local activity's marker, its archive patch in the shape."""
    first = task("P1")
    script = Script(
        plans={first.task_id: plan(rung(Step.ELECTRONIC, EMAIL))}, receipts={"email": "confirmed"}
    )
    handle = await ladder.start_request(script, [first])
    await ladder.result(handle)
    history = await handle.fetch_history()
    scheduled = _scheduled(history)
    assert script.arguments("record_request_outcome")  # written, by the worker itself
    assert "record_request_outcome" not in scheduled
    assert {"build_archive", "deliver_callback", "notify_judge"} <= set(scheduled)
    assert _markers(history) == [REQUEST_SHAPE]


async def test_a_work_order_reads_its_timing_from_the_plan_and_closes_locally(
    ladder: Ladder,
) -> None:
    """Opening the clerk's order is its one activity; the close is a local activity's marker."""
    script = Script(
        plan(rung(Step.PHONE, PHONE), simple_means=True), answers=[clerk("reached_consented")]
    )
    handle = await ladder.start(script)
    await ladder.result(handle)
    history = await handle.fetch_history()
    scheduled = _scheduled(history)
    assert script.closed() == [("wo-phone-1", "reached_consented")]
    assert scheduled == ["plan_service", "open_work_order"]

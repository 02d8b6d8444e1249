"""A party that starts on today's ladder records one patch marker, not one per change."""

from __future__ import annotations

import json
import re

from temporalio.api.enums.v1 import EventType

from domain.pure.ladder import Step, TaskOutcome
from tests.architecture.imports import source_files
from tests.workflows.harness import EMAIL, HOME, PHONE, Ladder, consented, day, plan, rung
from tests.workflows.stubs import Letter, Script
from workflows.shape import SHAPE, SHAPE_PATCHES


async def _patch_events(ladder: Ladder, script: Script) -> tuple[TaskOutcome, list[str], int]:
    """Runs a party; returns its outcome, its patch markers and its change-version upserts."""
    handle = await ladder.start(script)
    outcome = await ladder.result(handle)
    history = await handle.fetch_history()
    markers, upserts = [], 0
    for event in history.events:
        if event.event_type == EventType.EVENT_TYPE_MARKER_RECORDED:
            attributes = event.marker_recorded_event_attributes
            if attributes.marker_name == "core_patch":
                data = attributes.details["patch-data"].payloads[0].data
                markers.append(json.loads(data)["id"])
        if event.event_type == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
            fields = event.upsert_workflow_search_attributes_event_attributes.search_attributes
            upserts += "TemporalChangeVersion" in fields.indexed_fields
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
    assert SHAPE_PATCHES <= defined
    assert SHAPE not in defined

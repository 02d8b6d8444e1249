"""The stubs stand in for every activity the workflows call, under the same names."""

from __future__ import annotations

from typing import Any

from tests.workflows.stubs import Script, stub_activities
from workflows import activity_stubs


def _names(functions: list[Any]) -> set[str]:
    return {f.__temporal_activity_definition.name for f in functions}


def test_stubs_cover_every_activity_the_workflows_call() -> None:
    """A stub answers each activity the workflows declare, and nothing the workflows lack."""
    declared = [
        v for v in vars(activity_stubs).values() if hasattr(v, "__temporal_activity_definition")
    ]
    assert _names(stub_activities(Script(), None)) == _names(declared)  # type: ignore[arg-type]

"""Replays histories saved from the suite, so a change that breaks running workflows fails CI."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from domain.settings import Settings
from payload_codec import data_converter
from workflows.party import PartyServiceWorkflow
from workflows.request import ServiceRequestWorkflow
from workflows.sandbox import WORKFLOW_RUNNER

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def test_histories_are_committed() -> None:
    kinds = {path.name.split("-", 1)[0] for path in HISTORIES}
    assert {"ServiceRequestWorkflow", "PartyServiceWorkflow"} <= kinds


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_replay(path: Path) -> None:
    history = WorkflowHistory.from_json(path.stem.split("-", 1)[1], path.read_text())
    # The codec's decode passes unencrypted payloads through, so histories from before it replay.
    replayer = Replayer(
        workflows=[ServiceRequestWorkflow, PartyServiceWorkflow],
        data_converter=data_converter(Settings().key_ring),
        workflow_runner=WORKFLOW_RUNNER,
    )
    await replayer.replay_workflow(history)

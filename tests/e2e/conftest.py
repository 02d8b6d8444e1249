"""The end-to-end stack: a fresh PostgreSQL database, a Temporal dev server, worker, API, sandbox.

Everything real and on free ports, started once per session; the stack's state folder (with
every process's log) lives under pytest's temporary directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from launcher import Stack
from tests.databases import fresh_database
from tests.e2e.histories import save_histories
from tests.e2e.support import free_port, local_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for the run, dropped afterwards."""
    with fresh_database("postgresql") as url:
        yield url


@pytest.fixture(scope="session")
def stack(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The running stack; its logs are printed when the session fails to start it."""
    state = tmp_path_factory.mktemp("state")
    settings = local_settings(
        database_url,
        state,
        # SMPP first, the HTTP gateway as the failover: the suite drives both on loopback.
        SONGDA_SMS_PROVIDERS="smpp,sandbox",
        SONGDA_TASK_QUEUE=f"songda-{uuid.uuid4().hex[:6]}",
        SONGDA_WORKER_METRICS_PORT=free_port(),
    )
    stack = Stack(settings, headless=True)
    try:
        stack.start(timeout=90)
    except Exception:
        stack.stop()
        raise
    yield stack
    if os.environ.get("SONGDA_SAVE_HISTORIES") == "1":
        save_histories(stack.temporal_address)
    stack.stop()


def cli(stack: Stack, *args: str) -> str:
    """Runs `songda ARGS` against the stack and returns what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env=stack.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="session")
def case_system_token(stack: Stack) -> str:
    """A bearer token of a case-system service account of court J12."""
    cli(stack, "user", "add", "hx-case-system", "--role", "case_system", "--court", "J12")
    return cli(stack, "token", "create", "hx-case-system").strip().splitlines()[-1]


@pytest.fixture(scope="session")
def clerk_token(stack: Stack) -> str:
    """A bearer token of a clerk of court J12."""
    cli(stack, "user", "add", "clerk-li", "--role", "clerk", "--court", "J12")
    return cli(stack, "token", "create", "clerk-li").strip().splitlines()[-1]


@pytest.fixture(scope="session")
def ops_token(stack: Stack) -> str:
    """A bearer token of an operator."""
    cli(stack, "user", "add", "ops-wang", "--role", "ops")
    return cli(stack, "token", "create", "ops-wang").strip().splitlines()[-1]


def _client(base: str, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=base, headers=headers, timeout=30)


@pytest.fixture(scope="session")
def api(stack: Stack, case_system_token: str) -> Iterator[httpx.Client]:
    """The API as the case system."""
    with _client(f"http://127.0.0.1:{stack.settings.api_port}", case_system_token) as client:
        yield client


@pytest.fixture(scope="session")
def clerk_api(stack: Stack, clerk_token: str) -> Iterator[httpx.Client]:
    """The API as a clerk."""
    with _client(f"http://127.0.0.1:{stack.settings.api_port}", clerk_token) as client:
        yield client


@pytest.fixture(scope="session")
def ops_api(stack: Stack, ops_token: str) -> Iterator[httpx.Client]:
    """The API as an operator."""
    with _client(f"http://127.0.0.1:{stack.settings.api_port}", ops_token) as client:
        yield client


@pytest.fixture(scope="session")
def sandbox(stack: Stack) -> Iterator[httpx.Client]:
    """The sandbox's inspection endpoints."""
    with _client(f"http://127.0.0.1:{stack.settings.sandbox_port}") as client:
        yield client

"""The launcher supervises: a killed child comes back, a crash loop still stops the stack."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from domain.settings import Settings
from launcher import Stack, StackError
from supervisor import RestartPolicy, Supervisor
from tests.e2e.support import free_port, wait_until
from tests.faults.support import child_pids

ROOT = Path(__file__).resolve().parents[2]
CRASHER = "tests.faults.crasher"


def test_a_crash_loop_stops_the_stack_naming_the_process_and_its_log(tmp_path: Path) -> None:
    stack = Stack(Settings(SONGDA_STATE_DIR=tmp_path), children=(CRASHER,))
    lines: list[str] = []
    supervisor = Supervisor(
        stack, RestartPolicy(max_crashes=3, window_seconds=30, first_delay=0.1), lines.append
    )
    stack.start_child(CRASHER)
    try:
        with pytest.raises(StackError) as raised:
            supervisor.run(poll=0.05, timeout=20)
    finally:
        stack.stop()
    message = str(raised.value)
    assert CRASHER in message and str(stack.log_path(CRASHER)) in message
    assert "3 times" in message
    assert supervisor.restarts == {CRASHER: 2}  # restarted twice with backoff, then given up
    assert any("restarting in" in line for line in lines)
    log = stack.log_path(CRASHER).read_text()
    assert log.count("crasher: exiting on purpose") == 3
    assert "restarted by the launcher" in log


def test_backoff_doubles_up_to_its_ceiling() -> None:
    policy = RestartPolicy(first_delay=1, max_delay=30)
    assert [policy.delay(n) for n in (1, 2, 3, 4, 5, 6, 7)] == [1, 2, 4, 8, 16, 30, 30]


def _launcher_env(state: Path) -> dict[str, str]:
    ports = {
        name: str(free_port())
        for name in (
            "SONGDA_API_PORT", "SONGDA_PORTAL_PORT", "SONGDA_SANDBOX_PORT",
            "SONGDA_TEMPORAL_PORT", "SONGDA_TEMPORAL_UI_PORT", "SONGDA_SMTP_PORT",
            "SONGDA_SMPP_PORT",
        )
    }  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SONGDA_FAULT")}
    # `make run` as a fresh clone would run it: SQLite in its own state folder.
    return {**env, **ports, "SONGDA_STATE_DIR": str(state), "SONGDA_ENV": "development"}


def _demo_request() -> dict[str, object]:
    body = json.loads((ROOT / "examples" / "request.json").read_text())
    body["external_id"] = f"FAULT-{time.time_ns()}"
    body["plan"] = {"clock": {"mode": "accelerated", "seconds_per_day": 1}}
    return dict(body)


def test_make_run_survives_a_killed_worker_and_the_demo_request_completes(
    tmp_path: Path,
) -> None:
    state = tmp_path / "state"
    env = _launcher_env(state)
    out = (tmp_path / "launcher.out").open("wb")
    launcher = subprocess.Popen(
        [sys.executable, "launcher.py"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
    )
    said = tmp_path / "launcher.out"
    try:
        wait_until(lambda: b"songda is running" in said.read_bytes(), 120, "the stack to start")
        worker = child_pids(launcher.pid, "-m worker")
        assert len(worker) == 1, worker
        os.kill(worker[0], signal.SIGKILL)
        token = (state / "demo-token").read_text().strip()
        api = httpx.Client(
            base_url=f"http://127.0.0.1:{env['SONGDA_API_PORT']}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        created = api.post("/v1/service-requests", json=_demo_request())
        assert created.status_code == 201, created.text
        request_id = created.json()["id"]
        wait_until(lambda: b"worker restarted" in said.read_bytes(), 30, "the worker's restart")
        assert launcher.poll() is None, "the launcher stopped instead of restarting the worker"

        def completed() -> bool:
            body = api.get(f"/v1/service-requests/{request_id}").json()
            return bool(body["status"] == "completed")

        wait_until(completed, 240, "the demo request to complete")
        text = said.read_text()
        assert "worker exited (code -9); restarting in 1s" in text
        assert "restarted by the launcher" in (state / "logs" / "worker.log").read_text()
        tasks = api.get(f"/v1/service-requests/{request_id}").json()["tasks"]
        assert {t["status"] for t in tasks} <= {"served", "failed"}
    finally:
        launcher.send_signal(signal.SIGTERM)
        launcher.wait(timeout=60)
        out.close()

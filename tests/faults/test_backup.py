"""`songda backup` and `songda restore`: onto a fresh state folder and database, work goes on."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import httpx

from launcher import Stack
from tests.databases import fresh_database
from tests.e2e.conftest import cli
from tests.e2e.support import (
    free_port,
    local_settings,
    mobile,
    party,
    request_body,
    request_done,
    wait_until,
)

ROOT = Path(__file__).resolve().parents[2]


def _stack(state: Path, database_url: str, queue: str, temporal_port: int) -> Stack:
    settings = local_settings(
        database_url,
        state,
        # The dev server records its own address in its db file: a restore keeps the port.
        SONGDA_TEMPORAL_PORT=temporal_port,
        SONGDA_TASK_QUEUE=queue,  # the restored workflows wait on their own task queue
    )
    stack = Stack(settings, headless=True)
    stack.env.setdefault("SONGDA_ENV", "development")
    return stack


def _api(stack: Stack, token: str) -> httpx.Client:
    base = f"http://127.0.0.1:{stack.settings.api_port}"
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def _archive_matches(api: httpx.Client, request_id: str) -> bool:
    archive = api.get(f"/v1/service-requests/{request_id}").json()["archive"]
    data = api.get(f"/v1/service-requests/{request_id}/archive").content
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        files_ok = all(
            hashlib.sha256(zipped.read(f["path"])).hexdigest() == f["sha256"]
            for f in manifest["files"]
        )
    return files_ok and hashlib.sha256(data).hexdigest() == archive["sha256"]


def test_a_backup_restores_onto_a_fresh_machine_and_running_work_goes_on(tmp_path: Path) -> None:
    queue = f"songda-backup-{uuid.uuid4().hex[:6]}"
    temporal_port = free_port()
    with fresh_database("postgresql") as url_a, fresh_database("postgresql") as url_b:
        first = _stack(tmp_path / "a", url_a, queue, temporal_port)
        try:
            first.start(timeout=120)
            cli(first, "user", "add", "bk-case-system", "--role", "case_system", "--court", "J12")
            token = cli(first, "token", "create", "bk-case-system").strip().splitlines()[-1]
            api = _api(first, token)
            done = api.post(
                "/v1/service-requests",
                json=request_body([party("P1", phones=[mobile("2")], consent=True)]),
            ).json()["id"]
            wait_until(
                lambda: api.get(f"/v1/service-requests/{done}").json()["archive"], 90, "archive"
            )
            # Still running at the backup: a dead number, then a clerk's order, then the post.
            body = request_body([party("P1", phones=[mobile("0")])], seconds_per_day=2.0)
            running = api.post("/v1/service-requests", json=body).json()["id"]
            wait_until(
                lambda: api.get(f"/v1/service-requests/{running}").json()["tasks"][0]["attempts"],
                60,
                "the running request's first attempt",
            )
            cli(first, "backup", str(tmp_path / "backups"))
        finally:
            first.stop()
        (saved,) = list((tmp_path / "backups").iterdir())
        second = _stack(tmp_path / "b", url_b, queue, temporal_port)
        assert "restored" in cli(second, "restore", str(saved))
        try:
            second.start(timeout=120)
            assert "ok" in cli(second, "audit", "verify").lower()
            api = _api(second, token)  # the tokens came back with the database
            assert _archive_matches(api, done)
            finished = request_done(api, running, 180)
            assert finished["status"] == "completed"
            assert finished["tasks"][0]["status"] == "served"
            cli(second, "audit", "verify")
        finally:
            second.stop()
        again = subprocess.run(
            [sys.executable, "-m", "api.cli", "restore", str(saved)],
            env=second.env, cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert again.returncode == 1 and "not empty" in again.stderr

"""On the full stack: a served party's workflow actions are in the audit chain, which verifies."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from launcher import Stack
from tests.e2e.conftest import ROOT, cli
from tests.e2e.support import mobile, party, request_body, request_done

pytestmark = pytest.mark.integration


def test_a_served_request_leaves_a_verified_trail_in_the_audit(
    api: httpx.Client, stack: Stack
) -> None:
    body = request_body([party("A1", phones=[mobile("1")], consent=True)])
    created = api.post("/v1/service-requests", json=body)
    assert created.status_code == 201, created.text
    request = request_done(api, created.json()["id"])
    task = request["tasks"][0]
    assert task["status"] == "served"

    cli(stack, "user", "add", "audit-zhao", "--role", "auditor")
    token = cli(stack, "token", "create", "audit-zhao").strip().splitlines()[-1]
    base = f"http://127.0.0.1:{stack.settings.api_port}"
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as auditor:
        report = auditor.get("/v1/audit/verify").json()
        assert report["ok"] is True and report["first_broken"] is None
        entries = auditor.get("/v1/audit", params={"target": task["id"]}).json()["items"]
        submitted = auditor.get("/v1/audit", params={"target": request["id"]}).json()["items"]
    by_action = {entry["action"]: entry for entry in entries}
    assert by_action["task.served"]["actor"] == task["workflow_id"]
    assert by_action["task.served"]["role"] == "workflow"
    assert "task.step_changed" in by_action
    assert {"request.submit", "request.completed"} <= {entry["action"] for entry in submitted}
    assert api.get("/v1/audit/verify").status_code == 403  # the case system reads no audit

    verified = subprocess.run(
        [sys.executable, "-m", "api.cli", "audit", "verify"],
        env=stack.env, cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert verified.returncode == 0 and "audit chain ok" in verified.stdout

"""Ops on the real stack: a gateway outage shows up as stuck; retry, skip and cancel are audited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from domain.store.db import make_engine
from launcher import Stack
from tests.e2e.conftest import cli
from tests.e2e.support import mobile, party, request_body, request_done, timeline, wait_until

pytestmark = pytest.mark.integration


def _stuck_for(ops_api: httpx.Client, task_ids: set[str]) -> list[dict[str, Any]] | None:
    answer = ops_api.get("/v1/ops/stuck")
    assert answer.status_code == 200, answer.text
    items = [i for i in answer.json()["items"] if i["task_id"] in task_ids]
    outages = [i for i in items if i["kind"] == "provider_outage"]
    return items if len(outages) == len(task_ids) else None


def _event(ops_api: httpx.Client, task_id: str, kind: str) -> dict[str, Any] | None:
    return next((e for e in timeline(ops_api, task_id) if e["kind"] == kind), None)


def _on_phone(ops_api: httpx.Client, task_id: str) -> bool:
    events = timeline(ops_api, task_id)
    return any(e["kind"] == "step_started" and e["step"] == "phone" for e in events)


def _audit(database_url: str, target: str) -> list[tuple[str, str, str, str]]:
    # Through songda's engine, whose reads of the log first chain what waits in the outbox.
    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT action, actor, role, outcome FROM audit_log"
                " WHERE target = :target AND role = 'ops' ORDER BY seq"
            ),
            {"target": target},
        ).all()
    engine.dispose()
    return [(row[0], row[1], row[2], row[3]) for row in rows]


def test_outage_is_stuck_and_ops_clear_it(
    api: httpx.Client,
    ops_api: httpx.Client,
    ops_token: str,
    stack: Stack,
    database_url: str,
) -> None:
    phones = [mobile("9") for _ in range(3)]
    parties = [party(f"P{n}", phones=[p], consent=True) for n, p in enumerate(phones, 1)]
    # A slow clock keeps the party on the phone rung while ops look at it.
    created = api.post("/v1/service-requests", json=request_body(parties, seconds_per_day=30))
    assert created.status_code == 201, created.text
    request = created.json()
    task_ids = {t["id"] for t in request["tasks"]}

    items = wait_until(lambda: _stuck_for(ops_api, task_ids), 90, "the outage among stuck tasks")
    outage = next(i for i in items if i["kind"] == "provider_outage")
    assert "failing" in outage["reason"] and outage["since"]
    text = ops_api.get("/v1/ops/stuck").text
    assert not any(p in text or p[-4:] in text for p in phones)  # ops see no personal data
    printed = cli(stack, "stuck", "--token", ops_token)
    assert outage["task_id"] in printed and "provider_outage" in printed

    task_id = outage["task_id"]
    wait_until(lambda: _on_phone(ops_api, task_id), 60, "the phone rung")
    retried = ops_api.post(f"/v1/tasks/{task_id}/retry", json={"reason": "gateway is back"})
    assert retried.status_code == 202, retried.text
    wait_until(lambda: _event(ops_api, task_id, "step_retried"), 30, "the retry in the timeline")
    skipped = ops_api.post(f"/v1/tasks/{task_id}/skip-step", json={"reason": "clerk away"})
    assert skipped.status_code == 202, skipped.text

    def skip_seen() -> bool:
        failed = [e for e in timeline(ops_api, task_id) if e["kind"] == "step_failed"]
        return any("operator" in str(e["detail"].get("reason")) for e in failed)

    wait_until(skip_seen, 30, "the skip in the timeline")
    cancelled = ops_api.post(f"/v1/service-requests/{request['id']}/cancel", json={"reason": "x"})
    assert cancelled.status_code == 202, cancelled.text
    assert request_done(api, request["id"], timeout=60)["status"] == "cancelled"
    late = ops_api.post(f"/v1/tasks/{task_id}/retry", json={})
    assert late.status_code == 409

    assert _audit(database_url, task_id) == [
        ("task.retry_step", "ops-wang", "ops", "ok"),
        ("task.skip_step", "ops-wang", "ops", "ok"),
        ("task.retry_step", "ops-wang", "ops", "refused"),
    ]
    assert _audit(database_url, request["id"]) == [("request.cancel", "ops-wang", "ops", "ok")]
    left = ops_api.get("/v1/ops/stuck").json()["items"]
    assert not [i for i in left if i["task_id"] in task_ids]


def test_metrics_of_api_and_worker(stack: Stack, api: httpx.Client) -> None:
    answer = httpx.get(f"http://127.0.0.1:{stack.settings.api_port}/metrics")
    names = {f.name for f in text_string_to_metric_families(answer.text)}
    assert {"songda_tasks", "songda_work_orders_open", "songda_database_up"} <= names
    port = stack.settings.worker_metrics_port
    worker = httpx.get(f"http://127.0.0.1:{port}/metrics")
    families = {f.name: f for f in text_string_to_metric_families(worker.text)}
    assert any(name.startswith("temporal_") for name in families), sorted(families)[:20]
    ran = [s for f in families.values() for s in f.samples if s.name.startswith("songda_activ")]
    assert any(s.labels.get("activity") == "plan_service" for s in ran), sorted(families)
    latency = [s for f in families.values() for s in f.samples if "provider_latency" in s.name]
    assert any(s.labels.get("activity") == "send_sms" for s in latency), sorted(families)


def test_activity_logs_carry_task_and_workflow_ids(stack: Stack) -> None:
    lines = [json.loads(line) for line in _json_lines(stack.log_path("worker"))]
    bound = [line for line in lines if line.get("workflow_id", "").startswith("svc-")]
    assert bound and all(line.get("task_id") for line in bound)


def test_stats_command(stack: Stack, ops_token: str) -> None:
    printed = cli(stack, "stats", "--from", "2026-01-01", "--token", ops_token)
    assert "completion_rate" in printed and "parties" in printed


def _json_lines(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line.startswith("{")]

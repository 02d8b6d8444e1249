"""Stuck detection from the database, /metrics as Prometheus text, request ids and audit."""

from __future__ import annotations

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.tables.core import ServiceTask, utcnow
from domain.tables.trust import AuditEntry
from tests.ops.conftest import headers_for
from tests.ops.seed import make_stuck


def test_stuck_lists_each_reason(client: TestClient, db: Session, tasks: dict[str, str]) -> None:
    make_stuck(db, tasks, utcnow())
    ops = headers_for(db, "ops-a", "ops")
    answer = client.get("/v1/ops/stuck", headers=ops)
    assert answer.status_code == 200, answer.text
    kinds = {(item["task_id"], item["kind"]) for item in answer.json()["items"]}
    assert (tasks["R3-1"], "work_order_overdue") in kinds
    assert (tasks["R5-1"], "provider_outage") in kinds
    assert (tasks["R5-1"], "wait_overdue") in kinds
    outage = next(i for i in answer.json()["items"] if i["kind"] == "provider_outage")
    assert "sandbox-sms" in outage["reason"] and outage["since"]
    assert "0009" not in answer.text  # no phone numbers, not even masked ones
    assert tasks["R1-1"] not in {task for task, _ in kinds}  # served tasks are never stuck
    clerk = headers_for(db, "clerk-c", "clerk", "J12")
    assert client.get("/v1/ops/stuck", headers=clerk).status_code == 403


def test_metrics_parse(client: TestClient, db: Session, tasks: dict[str, str]) -> None:
    make_stuck(db, tasks, utcnow())
    answer = client.get("/metrics", headers={"X-Request-ID": "scrape-1"})
    assert answer.status_code == 200 and answer.headers["x-request-id"] == "scrape-1"
    families = {f.name: f for f in text_string_to_metric_families(answer.text)}
    served = [s.value for s in families["songda_tasks"].samples if s.labels["status"] == "served"]
    assert sum(served) == 5
    sends = families["songda_sends_last_hour"].samples
    assert [(s.labels["provider"], s.labels["result"], s.value) for s in sends] == [
        ("sandbox-sms", "retrying", 3.0)
    ]
    assert families["songda_work_orders_overdue"].samples[0].value == 1.0
    assert families["songda_database_up"].samples[0].value == 1.0


def test_refused_control_is_audited(client: TestClient, db: Session, tasks: dict[str, str]) -> None:
    ops = headers_for(db, "ops-a", "ops")
    headers = {**ops, "X-Request-ID": "req-42"}
    served = tasks["R1-1"]
    assert client.post(f"/v1/tasks/{served}/retry", headers=headers).status_code == 409
    db.expire_all()
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "task.retry_step")).one()
    assert (entry.actor, entry.target, entry.outcome, entry.request_id) == (
        "ops-a", served, "refused", "req-42",
    )  # fmt: skip
    assert db.get_one(ServiceTask, served).status == "served"

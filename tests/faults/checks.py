"""What the fault suite asserts afterwards, each check a count that must be zero (or whole)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import subprocess
import sys
import time
import zipfile
from collections import Counter
from typing import Any

import httpx
import psycopg
from temporalio.client import Client, WorkflowExecutionStatus

from launcher import Stack
from tests.faults.suite import Workload

FINAL = ("served", "failed", "cancelled")
SEND_KINDS = ("sms", "email", "post")


def settle(api: httpx.Client, work: Workload, timeout: float) -> dict[str, str]:
    """Waits (bounded) until every request has ended; returns each request's status."""
    deadline = time.monotonic() + timeout
    status: dict[str, str] = {}
    while time.monotonic() < deadline:
        for request_id in work.request_ids:
            if status.get(request_id) not in ("completed", "cancelled"):
                answer = api.get(f"/v1/service-requests/{request_id}")
                # An error answer is not a state: the request keeps its last known one.
                last = status.get(request_id, "unanswered")
                status[request_id] = answer.json()["status"] if answer.status_code == 200 else last
        if all(s in ("completed", "cancelled") for s in status.values()):
            break
        time.sleep(2.0)
    return status


def _rows(db: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(db.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return list(conn.execute(sql, params).fetchall())


def lost_tasks(stack: Stack, db: str) -> list[str]:
    """Tasks whose workflow Temporal does not know, or whose end the legal record missed."""
    tasks = _rows(db, "SELECT workflow_id, status FROM service_tasks")

    async def check() -> list[str]:
        client = await Client.connect(stack.temporal_address)
        lost = []
        for workflow_id, status in tasks:
            try:
                described = await client.get_workflow_handle(workflow_id).describe()
            except Exception as error:
                lost.append(f"{workflow_id}: unknown to Temporal ({type(error).__name__})")
                continue
            closed = described.status != WorkflowExecutionStatus.RUNNING
            if closed != (status in FINAL):
                state = described.status.name if described.status else "?"
                lost.append(f"{workflow_id}: Temporal {state}, legal record {status}")
        return lost

    return asyncio.run(check())


def duplicate_sends(sandbox: httpx.Client, db: str) -> tuple[int, int, int]:
    """Returns (sends counted, references sent more than once, sends of no known attempt)."""
    keys = {row[0] for row in _rows(db, "SELECT idempotency_key FROM attempts")}
    references: Counter[str] = Counter()
    for kind in SEND_KINDS:
        for item in sandbox.get(f"/sandbox/{kind}").json()["items"]:
            references[str(item["reference"])] += 1
    doubled = sum(1 for count in references.values() if count > 1)
    # Flash reminders and one-time codes carry the attempt's key with a suffix.
    orphans = sum(1 for ref in references if ref.split(":flash")[0] not in keys and ":" in ref)
    return sum(references.values()), doubled, orphans


def lost_receipts(sandbox: httpx.Client, db: str) -> tuple[int, int]:
    """Returns (events songda acknowledged, acknowledged events missing from its record)."""
    keys = {row[0] for row in _rows(db, "SELECT idempotency_key FROM attempts")}
    # An event about no attempt of songda's is answered (accepted: false) and not kept.
    accepted = [
        e for e in sandbox.get("/sandbox/accepted").json()["items"] if e["reference"] in keys
    ]
    recorded = {row[0] for row in _rows(db, "SELECT event_id FROM provider_events")}
    missing = [e for e in accepted if e["event_id"] not in recorded]
    unforwarded = _rows(
        db,
        "SELECT count(*) FROM portal_receipts WHERE forwarded_at IS NULL AND kind IN "
        "('opened', 'identity_passed', 'viewed', 'downloaded', 'confirmed')",
    )[0][0]
    confirmed_unserved = _rows(
        db,
        "SELECT count(*) FROM portal_receipts r "
        "JOIN portal_publications p ON p.id = r.publication_id "
        "JOIN attempts a ON a.idempotency_key = p.reference "
        "JOIN service_tasks t ON t.id = a.task_id "
        "WHERE r.kind = 'confirmed' AND t.status NOT IN ('served', 'cancelled')",
    )[0][0]
    return len(accepted), len(missing) + int(unforwarded) + int(confirmed_unserved)


def duplicate_audit(db: str) -> int:
    """Counts audit entries a workflow or an intake wrote twice for the same act."""
    rows = _rows(
        db,
        "SELECT count(*) FROM (SELECT actor, action, target, detail::text FROM audit_log "
        "WHERE actor LIKE 'svc-%%' OR actor LIKE 'sr-%%' OR action IN "
        "('request.submit', 'archive.created') "
        "GROUP BY actor, action, target, detail::text HAVING count(*) > 1) AS doubled",
    )
    return int(rows[0][0])


def audit_verifies(stack: Stack) -> bool:
    """Runs `songda audit verify` against the stack's database."""
    cmd = [sys.executable, "-m", "api.cli", "audit", "verify"]
    return subprocess.run(cmd, env=stack.env, capture_output=True, check=False).returncode == 0


def archive_mismatches(api: httpx.Client, status: dict[str, str]) -> tuple[int, int]:
    """Returns (archives checked, archives missing or not matching their manifest)."""
    checked = bad = 0
    for request_id, state in status.items():
        if state != "completed":
            continue
        checked += 1
        bad += 0 if _archive_ok(api, request_id) else 1
    return checked, bad


def _archive_ok(api: httpx.Client, request_id: str) -> bool:
    for _ in range(30):  # filed a few seconds after completion
        archive = api.get(f"/v1/service-requests/{request_id}").json().get("archive")
        if archive:
            break
        time.sleep(1.0)
    else:
        return False
    data = api.get(f"/v1/service-requests/{request_id}/archive").content
    if hashlib.sha256(data).hexdigest() != archive["sha256"]:
        return False
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        return all(
            hashlib.sha256(zipped.read(entry["path"])).hexdigest() == entry["sha256"]
            for entry in manifest["files"]
        )


def open_orders_of_finished_tasks(db: str) -> int:
    """Counts work orders still open whose task has ended."""
    rows = _rows(
        db,
        "SELECT count(*) FROM work_orders w JOIN service_tasks t ON t.id = w.task_id "
        "WHERE w.status = 'open' AND t.status IN ('served', 'failed', 'cancelled')",
    )
    return int(rows[0][0])


def callbacks_missing(sandbox: httpx.Client, work: Workload, status: dict[str, str]) -> int:
    """Counts completed requests whose case system never got a valid, answered callback."""
    missing = 0
    for request_id, name in work.callbacks.items():
        if status.get(request_id) != "completed":
            continue
        posts = sandbox.get("/sandbox/callbacks", params={"to": name}).json()["items"]
        if not any(p["valid"] and p["answered"] == 200 for p in posts):
            missing += 1
    return missing

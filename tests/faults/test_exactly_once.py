"""Intake, webhooks and portal receipts across crashes: nothing lost, nothing doubled.

Each test arms the development fault hook (SONGDA_FAULT) in one process, lets it die exactly
between two effects, restarts it unarmed, and checks the outcome in the database and Temporal.
"""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from api.providers.portal_forwarder import FORWARDED_KINDS
from launcher import Stack
from tests.e2e.support import mobile, party, request_body, request_done, wait_until
from tests.faults.support import arm, died_of_fault, revive, scalar, workflow_runs

# Legal days long enough that a restart (a few seconds) stays well inside the electronic wait.
SLOW = 10.0
RECEIPTS_OF_REQUEST = """
    SELECT count(*) FROM portal_receipts r
    JOIN portal_publications p ON p.id = r.publication_id
    JOIN attempts a ON a.idempotency_key = p.reference
    JOIN service_tasks t ON t.id = a.task_id
    WHERE t.request_id = %s AND r.kind = ANY(%s) AND (%s OR r.forwarded_at IS NULL)
"""


def _all_forwarded(db: str, request_id: str) -> None:
    kinds = list(FORWARDED_KINDS)
    unforwarded = lambda: scalar(db, RECEIPTS_OF_REQUEST, request_id, kinds, False)  # noqa: E731
    wait_until(lambda: unforwarded() == 0, 20, "every receipt to be forwarded")


def _started(db: str, request_id: str) -> bool:
    sql = "SELECT workflow_started FROM service_requests WHERE id = %s"
    return bool(scalar(db, sql, request_id))


def test_api_killed_between_storing_a_request_and_starting_it(
    fault_stack: Stack, fault_api: httpx.Client, fault_db: str
) -> None:
    arm(fault_stack, "api", "intake.after_store")
    body = request_body([party("P1", phones=[mobile("1")], consent=True)])
    with pytest.raises(httpx.TransportError):
        fault_api.post("/v1/service-requests", json=body)
    assert died_of_fault(fault_stack, "api", 60)
    sql = "SELECT id FROM service_requests WHERE external_id = %s"
    request_id = scalar(fault_db, sql, body["external_id"])
    assert request_id is not None, "the request was lost"
    assert not _started(fault_db, request_id)
    revive(fault_stack, "api")
    # The healer starts it on its own; the client's retry then finds the same request.
    wait_until(lambda: _started(fault_db, request_id), 30, "the healer to start the workflow")
    again = fault_api.post("/v1/service-requests", json=body)
    assert again.status_code == 200 and again.json()["id"] == request_id
    done = request_done(fault_api, request_id, 90)
    assert [t["status"] for t in done["tasks"]] == ["served"]
    sql = "SELECT count(*) FROM service_requests WHERE external_id = %s"
    assert scalar(fault_db, sql, body["external_id"]) == 1
    sql = "SELECT count(*) FROM audit_log WHERE action = 'request.submit' AND target = %s"
    assert scalar(fault_db, sql, request_id) == 1
    assert workflow_runs(fault_stack, f"sr-{request_id}") == 1


@pytest.mark.parametrize("point", ["webhook.before_signal", "webhook.after_signal"])
def test_api_killed_while_taking_a_delivery_report(
    point: str,
    fault_stack: Stack,
    fault_api: httpx.Client,
    fault_sandbox: httpx.Client,
    fault_db: str,
) -> None:
    arm(fault_stack, "api", point)
    phone = mobile("1")  # delivered, never opened: only the report can serve (consented)
    created = fault_api.post(
        "/v1/service-requests",
        json=request_body([party("P1", phones=[phone], consent=True)], seconds_per_day=SLOW),
    )
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    assert died_of_fault(fault_stack, "api", 60), "no delivery report reached the armed API"
    revive(fault_stack, "api")
    done = request_done(fault_api, request_id, 90)
    task = done["tasks"][0]
    assert (task["status"], task["method"]) == ("served", "electronic")
    sent = fault_sandbox.get("/sandbox/sms", params={"to": phone}).json()["items"]
    taken = "SELECT count(*) FROM provider_events WHERE body->>'reference' = %s"
    for sms in sent:  # every report the gateway sent was taken, once (retries may still run)
        wait_until(
            lambda sms=sms: scalar(fault_db, taken, sms["reference"]) == len(sms["events"]),
            20,
            "every delivery report to be recorded once",
        )
        sql = "SELECT json_array_length(detail->'events') FROM attempts WHERE idempotency_key=%s"
        assert scalar(fault_db, sql, sms["reference"]) == len(sms["events"])


def test_portal_killed_between_a_confirmation_and_its_forwarding(
    fault_stack: Stack, fault_api: httpx.Client, fault_db: str
) -> None:
    arm(fault_stack, "api.portal", "portal.after_confirm")
    # No consent: only the recipient's confirmation in the portal serves.
    body = request_body([party("P1", phones=[mobile("2")], consent=False)], seconds_per_day=SLOW)
    created = fault_api.post("/v1/service-requests", json=body)
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    assert died_of_fault(fault_stack, "api.portal", 60), "nobody confirmed in the armed portal"
    revive(fault_stack, "api.portal")
    done = request_done(fault_api, request_id, 90)
    task = done["tasks"][0]
    assert (task["status"], task["method"]) == ("served", "electronic")
    assert scalar(fault_db, RECEIPTS_OF_REQUEST, request_id, ["confirmed"], True) == 1
    _all_forwarded(fault_db, request_id)


def test_api_killed_between_forwarding_a_receipt_and_marking_it(
    fault_stack: Stack, fault_api: httpx.Client, fault_db: str
) -> None:
    body = request_body([party("P1", phones=[mobile("3")], consent=False)], seconds_per_day=SLOW)
    arm(fault_stack, "api", "forwarder.after_signal")
    created = fault_api.post("/v1/service-requests", json=body)
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    assert died_of_fault(fault_stack, "api", 60), "no receipt was forwarded by the armed API"
    revive(fault_stack, "api")
    done = request_done(fault_api, request_id, 90)
    task = done["tasks"][0]
    assert (task["status"], task["method"]) == ("served", "electronic")
    assert scalar(fault_db, RECEIPTS_OF_REQUEST, request_id, ["confirmed"], True) == 1
    _all_forwarded(fault_db, request_id)


def test_the_fault_hook_is_refused_outside_development(fault_stack: Stack) -> None:
    env = {**fault_stack.env, "SONGDA_FAULT": "intake.after_store", "SONGDA_ENV": "production"}
    done = subprocess.run(
        [sys.executable, "-m", "api"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "SONGDA_FAULT is a test hook" in done.stderr

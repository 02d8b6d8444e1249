"""A security reviewer's search: after a full run, the known test parties' ID numbers and phone
numbers appear in clear nowhere: not in the database (pg_dump of every table), not in the
stack's log files, not in the Temporal histories read raw, without the payload codec.

The sandbox's own log is left out: it plays the outside world (SMS gateway, post office,
telecom operators), which must know the numbers it is asked to reach.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload, Payloads
from temporalio.client import Client

from launcher import Stack
from tests.e2e.support import mobile, party, request_body, request_done, sandbox_items

pytestmark = pytest.mark.integration

OUTSIDE_WORLD_LOGS = {"sandbox.log"}


def formatted(number: str) -> str:
    """Returns a mobile number as people write it: country code, spaces and hyphens."""
    return f"+86 {number[:3]}-{number[3:7]}-{number[7:]}"


@pytest.fixture(scope="module")
def run(api: httpx.Client, sandbox: httpx.Client) -> dict[str, Any]:
    """Runs a request with known parties to its end; returns it and the values to look for."""
    phones = {"E1": mobile("2"), "E3": mobile("1")}
    parties = [
        party("E1", phones=[formatted(phones["E1"])], consent=True),
        party("E3", phones=[phones["E3"]], address="天津市河西区围堤道2号"),
        party("R1", address=None, born="19800101"),
        party("C1", emails=["c1.secret@example.com"], consent=True),
    ]
    created = api.post("/v1/service-requests", json=request_body(parties))
    assert created.status_code == 201, created.text
    done = request_done(api, created.json()["id"], timeout=150)
    assert done["status"] == "completed", done
    repaired = [
        str(number)
        for item in sandbox.get("/sandbox/repairs").json()["items"]
        for number in item.get("numbers", [])
        if isinstance(number, str)
    ]
    assert sandbox_items(sandbox, "sms", phones["E1"]), "the run never reached the SMS gateway"
    return {"request": done, "parties": parties, "phones": [*phones.values(), *repaired]}


def secrets_of(run: dict[str, Any]) -> set[str]:
    """Returns every ID number and phone number of the run, in the forms they may take."""
    values: set[str] = set()
    for number in [p["id_number"] for p in run["parties"]]:
        values |= {number, number.lower(), number[:17]}
    for phone in run["phones"]:
        digits = "".join(c for c in phone if c.isdigit())
        values |= {phone, digits[-11:], formatted(digits[-11:])}
    return values


def leaks(text: str, secrets: set[str]) -> list[str]:
    """Returns the secrets found in text, each with a little context (for the failure message)."""
    found = []
    for secret in sorted(secrets):
        at = text.find(secret)
        if at >= 0:
            found.append(f"{secret!r} in …{text[max(0, at - 120) : at + 40]!r}…")
    return found


def database_dump(url: str) -> str:
    """Returns the whole database as text: pg_dump when installed, else every row cast to text."""
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    if shutil.which("pg_dump"):
        dumped = subprocess.run(["pg_dump", plain], capture_output=True, text=True, check=True)
        return dumped.stdout
    with psycopg.connect(plain) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
        rows = [
            str(row[0])
            for (table,) in tables
            for row in conn.execute(f'SELECT t::text FROM "{table}" t').fetchall()  # noqa: S608
        ]
    return "\n".join(rows)


async def raw_histories(address: str, namespace: str, request_id: str) -> str:
    """Returns the request's workflow histories as fetched without the codec (bytes and JSON)."""
    client = await Client.connect(address, namespace=namespace)
    texts = []
    async for execution in client.list_workflows(
        f"WorkflowId STARTS_WITH 'sr-{request_id}' OR WorkflowId STARTS_WITH 'svc-{request_id}'"
    ):
        history = await client.get_workflow_handle(execution.id).fetch_history()
        raw = b"".join(event.SerializeToString() for event in history.events)
        texts += [raw.decode("utf-8", "replace"), history.to_json()]
    assert len(texts) >= 2 * 5, "expected the request's workflow and one per party"
    return "\n".join(texts)


def test_the_database_holds_no_number_in_clear(stack: Stack, run: dict[str, Any]) -> None:
    dump = database_dump(stack.settings.effective_database_url)
    assert run["request"]["id"] in dump  # the dump did reach the run's rows
    found = leaks(dump, secrets_of(run))
    assert not found, "\n".join(found)


def test_the_logs_hold_no_number_in_clear(stack: Stack, run: dict[str, Any]) -> None:
    logs = sorted((stack.state_dir / "logs").glob("*.log"))
    assert {p.name for p in logs} - OUTSIDE_WORLD_LOGS, "no log files to search"
    found = {
        path.name: leaks(path.read_text("utf-8", "replace"), secrets_of(run))
        for path in logs
        if path.name not in OUTSIDE_WORLD_LOGS
    }
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_temporal_histories_read_raw_hold_no_number_in_clear(
    stack: Stack, run: dict[str, Any]
) -> None:
    settings = stack.settings
    histories = asyncio.run(
        raw_histories(stack.temporal_address, settings.temporal_namespace, run["request"]["id"])
    )
    assert "binary/encrypted" in histories or "YmluYXJ5L2VuY3J5cHRlZA" in histories
    found = leaks(histories, secrets_of(run))
    assert not found, "\n".join(found)


def test_the_search_would_see_a_leak(tmp_path: Path, run: dict[str, Any]) -> None:
    """The search itself works: a phone number written with hyphens is found by its digits."""
    phone = run["phones"][0]
    assert leaks(f"to {formatted(phone)}", secrets_of(run))


async def first_input(address: str, namespace: str, request_id: str) -> Payload:
    """Returns the request workflow's input as Temporal stores it (encrypted)."""
    client = await Client.connect(address, namespace=namespace)
    history = await client.get_workflow_handle(f"sr-{request_id}").fetch_history()
    started = history.events[0].workflow_execution_started_event_attributes
    return started.input.payloads[0]


def test_the_api_codec_endpoint_decodes_what_temporal_stores(
    stack: Stack, run: dict[str, Any], ops_api: httpx.Client
) -> None:
    """What the Temporal UI does: send a stored payload to /codec/decode with a token."""
    settings = stack.settings
    payload = asyncio.run(
        first_input(stack.temporal_address, settings.temporal_namespace, run["request"]["id"])
    )
    assert payload.metadata["encoding"] == b"binary/encrypted"
    body = {"payloads": [json_format.MessageToDict(payload)]}
    answer = ops_api.post("/codec/decode", json=body, headers={"X-Namespace": "default"})
    assert answer.status_code == 200, answer.text
    decoded = json_format.ParseDict(answer.json(), Payloads()).payloads[0]
    assert decoded.metadata["encoding"] == b"json/plain"
    assert run["request"]["id"].encode() in decoded.data

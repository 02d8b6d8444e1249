"""Helpers of the end-to-end tests: test parties, requests, and waiting for outcomes."""

from __future__ import annotations

import base64
import itertools
import socket
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from domain.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SECONDS_PER_DAY = 1.0
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_serial = itertools.count(1000)


def free_port() -> int:
    """Returns a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def local_settings(database_url: str | None, state: Path, **overrides: Any) -> Settings:
    """Returns settings for a whole stack on this machine: every port free, accelerated clocks
    allowed, SQLite in the state folder without a database URL; `overrides` are further
    settings by their variable names."""
    ports = ("API", "PORTAL", "SANDBOX", "TEMPORAL", "TEMPORAL_UI", "SMTP", "SMPP")
    values: dict[str, Any] = {f"SONGDA_{name}_PORT": free_port() for name in ports}
    values.update(SONGDA_STATE_DIR=state, SONGDA_ALLOW_ACCELERATED_CLOCK=True)
    if database_url is not None:
        values["DATABASE_URL"] = database_url
    return Settings(**{**values, **overrides})


def id_number(born: str) -> str:
    """Returns a valid resident ID number born on YYYYMMDD, unique within the run."""
    body = f"110101{born}{next(_serial) % 1000:03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]
    return body + check


def mobile(last: str) -> str:
    """Returns a mobile number unique within the run whose last digit picks the scenario."""
    return f"137{time.time_ns() % 10**5:05d}{next(_serial) % 100:02d}{last}"


def pdf_base64() -> str:
    """Returns the example summons PDF, base64-encoded."""
    return base64.b64encode(_pdf_path().read_bytes()).decode()


def party(
    ref: str,
    *,
    phones: list[str] | None = None,
    emails: list[str] | None = None,
    address: str | None = "天津市河西区友谊路1号",
    consent: bool = False,
    born: str = "19900307",
    confirmed: bool = False,
) -> dict[str, Any]:
    """Returns a person party of a request body."""
    return {
        "ref": ref,
        "name": f"张{ref}",
        "kind": "person",
        "role": "defendant",
        "id_number": id_number(born),
        "phones": phones or [],
        "emails": emails or [],
        "addresses": [{"text": address, "postcode": "300000"}] if address else [],
        "consent_electronic": consent,
        "address_confirmed": confirmed,
    }


def request_body(
    parties: list[dict[str, Any]],
    *,
    procedure: str = "ordinary",
    external_id: str | None = None,
    kinds: tuple[str, ...] = ("summons",),
    seconds_per_day: float = SECONDS_PER_DAY,
) -> dict[str, Any]:
    """Returns a service request body with an accelerated clock."""
    return {
        "external_id": external_id or f"T-{time.time_ns()}",
        "court": {"code": "J12", "name": "天津市河西区人民法院"},
        "case": {
            "number": "(2026)津0103民初1234号",
            "cause": "民间借贷纠纷",
            "procedure": procedure,
            "handler": "judge-zhang",
        },
        "documents": [
            {
                "kind": k,
                "title": {"summons": "传票"}.get(k, "文书"),
                "media_type": "application/pdf",
                "content_base64": pdf_base64(),
            }
            for k in kinds
        ],
        "parties": parties,
        "callback_url": None,
        "plan": {"clock": {"mode": "accelerated", "seconds_per_day": seconds_per_day}},
    }


def wait_until(check: Callable[[], Any], timeout: float, what: str) -> Any:
    """Polls check() until it returns something truthy; fails naming what was awaited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def request_done(api: httpx.Client, request_id: str, timeout: float = 120) -> dict[str, Any]:
    """Waits until the request is completed or cancelled and returns it."""

    def check() -> dict[str, Any] | None:
        body: dict[str, Any] = api.get(f"/v1/service-requests/{request_id}").json()
        return body if body["status"] in ("completed", "cancelled") else None

    result: dict[str, Any] = wait_until(check, timeout, f"request {request_id} to end")
    return result


def tasks_by_ref(request: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Returns the request's tasks keyed by party ref."""
    return {t["party_ref"]: t for t in request["tasks"]}


def timeline(api: httpx.Client, task_id: str) -> list[dict[str, Any]]:
    """Returns a task's timeline events."""
    items: list[dict[str, Any]] = api.get(f"/v1/tasks/{task_id}/timeline").json()["items"]
    return items


def first_legal_date(api: httpx.Client, task_id: str, kind: str, step: str | None = None) -> date:
    """Returns the legal date of the first timeline event of a kind (and step)."""
    for event in timeline(api, task_id):
        if event["kind"] == kind and (step is None or event["step"] == step):
            return date.fromisoformat(event["legal_date"])
    raise AssertionError(f"no {kind} event in the timeline")


def sandbox_items(sandbox: httpx.Client, kind: str, to: str) -> list[dict[str, Any]]:
    """Returns what the sandbox recorded of a kind (sms, email, post, ...) for a recipient."""
    items: list[dict[str, Any]] = sandbox.get(f"/sandbox/{kind}", params={"to": to}).json()["items"]
    return items


def _pdf_path() -> Path:
    return ROOT / "examples" / "summons.pdf"


def service_sms(sandbox: httpx.Client, to: str) -> list[dict[str, Any]]:
    """Returns the service SMS sent to a number: not the flash reminders, not one-time codes."""
    return [
        s
        for s in sandbox_items(sandbox, "sms", to)
        if not s["flash"] and not str(s.get("reference", "")).startswith("otp-")
    ]


def flash_sms(sandbox: httpx.Client, to: str) -> list[dict[str, Any]]:
    """Returns the flash reminders sent to a number."""
    return [s for s in sandbox_items(sandbox, "sms", to) if s["flash"]]


def submit(api: httpx.Client, *parties: dict[str, Any], **kw: Any) -> dict[str, Any]:
    """Submits a request for the parties and returns the API's answer (201 expected)."""
    created = api.post("/v1/service-requests", json=request_body(list(parties), **kw))
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body

"""The case system's callback receiver: checks songda's signature and records every post."""

from __future__ import annotations

import json
from typing import Any

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from domain.crypto.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from domain.settings import Settings
from sandbox import channel_faults
from sandbox.deps import RecordsDep
from sandbox.notifier import now_iso

router = APIRouter()
log = structlog.get_logger(__name__)

# A hook whose path contains this answers 503 to its first two posts, so songda's
# retry-until-2xx shows in demos and tests.
FLAKY_MARK = "flaky"
FLAKY_FAILURES = 2
MAX_AGE_SECONDS = 300


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


@router.post("/sandbox/hooks/{path:path}", tags=["inspection"])
async def receive_hook(path: str, request: Request, records: RecordsDep) -> JSONResponse:
    """Records a callback with whether its signature is valid; listed at /sandbox/callbacks."""
    settings: Settings = request.app.state.settings
    raw = await request.body()
    timestamp = request.headers.get(TIMESTAMP_HEADER)
    signature = request.headers.get(SIGNATURE_HEADER)
    valid = verify(settings.callback_secret, timestamp, signature, raw, MAX_AGE_SECONDS)
    tries = records.count("callbacks", "name", path) + 1
    status = 503 if FLAKY_MARK in path and tries <= FLAKY_FAILURES else 200
    if await channel_faults.refusal(records, "hooks") is not None:
        status = 503  # the case system is down: songda must keep trying
    records.add(
        "callbacks",
        {
            "name": path,
            "at": now_iso(),
            "try": tries,
            "answered": status,
            "valid": valid,
            "timestamp": timestamp,
            "signature": signature,
            "raw": raw.decode(errors="replace"),
            "body": _parse(raw),
        },
    )
    log.info("sandbox.hook_received", name=path, answered=status, valid=valid)
    return JSONResponse(status_code=status, content={"ok": status == 200, "valid": valid})

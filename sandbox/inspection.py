"""What the sandbox was asked to do, for demos and tests; and the callback receiver."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from domain.crypto.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER
from sandbox.deps import NotifierDep, RecordsDep
from sandbox.notifier import now_iso
from sandbox.schemas import Items, Ok
from sandbox.state import Item, Records

router = APIRouter()
log = structlog.get_logger(__name__)

# A callback receiver whose name starts with this answers 503 to its first two posts,
# so songda's retry-until-2xx can be shown.
FLAKY_PREFIX = "flaky"
FLAKY_FAILURES = 2

# path under /sandbox, record kind, what ?to= matches
LISTINGS = (
    ("sms", "sms", "the number, exactly"),
    ("sms/refused", "sms_refused", "the number, exactly"),
    ("email", "email", "the address, exactly"),
    ("post", "post", "part of the postal address"),
    ("notices", "notices", "the case number, or part of the notice text"),
    ("repairs", "repairs", "a number the lookup found"),
    ("callbacks", "callbacks", "the receiver's name, exactly"),
)


def matcher(kind: str, to: str) -> Callable[[Item], bool]:
    """Returns the ?to= filter of a listing."""
    if kind == "post":
        return lambda item: to in item["address"]
    if kind == "notices":
        return lambda item: to == item["case_number"] or to in item["text"]
    if kind == "repairs":
        return lambda item: to in item["numbers"]
    if kind == "callbacks":
        return lambda item: bool(item["name"] == to)
    return lambda item: bool(item["to"] == to)


def _lister(kind: str) -> Callable[[Records, str | None], Awaitable[Items]]:
    async def list_items(records: RecordsDep, to: str | None = None) -> Items:
        return Items(items=records.items(kind, matcher(kind, to) if to else None))

    return list_items


for _path, _kind, _matches in LISTINGS:
    router.add_api_route(
        f"/sandbox/{_path}",
        _lister(_kind),
        methods=["GET"],
        response_model=Items,
        tags=["inspection"],
        summary=f"Lists {_path}, newest first; ?to= matches {_matches}",
    )


@router.post("/sandbox/reset", response_model=Ok, tags=["inspection"])
async def reset(records: RecordsDep, notifier: NotifierDep) -> Ok:
    """Forgets every record and drops the events not yet delivered (for demos)."""
    await notifier.cancel_all()
    records.clear()
    log.info("sandbox.reset")
    return Ok()


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


@router.post("/callbacks/{name}", tags=["inspection"])
async def receive_callback(name: str, request: Request, records: RecordsDep) -> JSONResponse:
    """Records a signed callback from songda (headers, raw and parsed body)."""
    raw = await request.body()
    tries = records.count("callbacks", "name", name) + 1
    status = 503 if name.startswith(FLAKY_PREFIX) and tries <= FLAKY_FAILURES else 200
    records.add(
        "callbacks",
        {
            "name": name,
            "at": now_iso(),
            "answered": status,
            "timestamp": request.headers.get(TIMESTAMP_HEADER),
            "signature": request.headers.get(SIGNATURE_HEADER),
            "raw": raw.decode(errors="replace"),
            "body": _parse(raw),
        },
    )
    log.info("sandbox.callback_received", name=name, answered=status)
    return JSONResponse(status_code=status, content={"ok": status == 200})

"""Channel fault switches for fault tests: the SMS gateway, e-mail, post or callbacks down or hung.

Like the operators' outage switch, a switch is a record, so `POST /sandbox/reset` ends it.
"""

from __future__ import annotations

import asyncio
from typing import Literal

import structlog
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from sandbox.deps import RecordsDep
from sandbox.notifier import Event, now_iso
from sandbox.state import Records

router = APIRouter()
log = structlog.get_logger(__name__)

Channel = Literal["sms", "email", "post", "hooks"]
CHANNELS: tuple[Channel, ...] = ("sms", "email", "post", "hooks")
_SWITCHES = "channel_faults"


class ChannelFaultIn(BaseModel):
    """A switch: down answers 503 (SMTP 451), hang holds each call `seconds` first, ok ends it."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["ok", "down", "hang"]
    seconds: float = Field(default=20.0, ge=0, le=300)


class ChannelFaultOut(BaseModel):
    """A channel's current mode."""

    channel: Channel
    mode: str
    seconds: float


class ChannelFaults(BaseModel):
    """Every channel's current mode."""

    items: list[ChannelFaultOut]


def fault_of(records: Records, channel: str) -> tuple[str, float]:
    """Returns the channel's mode and hang seconds: the last switch since the reset, else ok."""
    switches = records.items(_SWITCHES, lambda item: item["channel"] == channel)
    if not switches:
        return "ok", 0.0
    return str(switches[0]["mode"]), float(switches[0]["seconds"])


async def refusal(records: Records, channel: str) -> JSONResponse | None:
    """Hangs a hung channel's call, then returns the 503 of a channel that is down, else None."""
    mode, seconds = fault_of(records, channel)
    if mode == "hang":
        await asyncio.sleep(seconds)
    if mode == "down":
        log.warning("sandbox.channel_down", channel=channel)
        return JSONResponse(status_code=503, content={"error": f"{channel} unavailable"})
    return None


def accepted(records: Records, event: Event) -> None:
    """Notes that songda answered 2xx to an event: from then on it must never be lost."""
    records.add(
        "accepted",
        {"event_id": event["event_id"], "reference": event["reference"], "kind": event["kind"]},
    )


@router.post("/sandbox/faults/{channel}", response_model=ChannelFaultOut, tags=["inspection"])
async def switch_channel(
    channel: Channel, body: ChannelFaultIn, records: RecordsDep
) -> ChannelFaultOut:
    """Sets a channel down, hung or ok until switched back or reset."""
    records.add(_SWITCHES, {"channel": channel, **body.model_dump(), "at": now_iso()})
    log.info("sandbox.channel_fault", channel=channel, mode=body.mode)
    return ChannelFaultOut(channel=channel, mode=body.mode, seconds=body.seconds)


@router.get("/sandbox/faults", response_model=ChannelFaults, tags=["inspection"])
async def list_channels(records: RecordsDep) -> ChannelFaults:
    """Lists every channel with its current mode."""
    items = []
    for channel in CHANNELS:
        mode, seconds = fault_of(records, channel)
        items.append(ChannelFaultOut(channel=channel, mode=mode, seconds=seconds))
    return ChannelFaults(items=items)


@router.get("/sandbox/accepted", tags=["inspection"])
async def list_accepted(records: RecordsDep) -> dict[str, list[dict[str, str]]]:
    """Lists the events songda acknowledged (2xx), newest first."""
    return {"items": records.items("accepted")}

"""The simulated virtual phone line (CTI): click-to-call, call records and recordings.

What a call does follows from the number (README, "Sandbox extensions"): ending in 0 the number
is dead (unreachable), ending in 9 the line is busy, any other number answers. A call rings for
a third of SONGDA_SANDBOX_CALL_SECONDS, is talked through for the rest, then is completed.
"""

from __future__ import annotations

import io
import math
import struct
import threading
import time
import uuid
import wave
from datetime import UTC, datetime
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, Field

from sandbox.schemas import Items

router = APIRouter(tags=["cti"])

SAMPLE_RATE = 8000  # telephone quality: 8 kHz, 16-bit, mono
TONE_HZ = 440.0


class DialIn(BaseModel):
    """A click-to-call: the clerk's extension, the number, and the caller's own reference."""

    agent: str = Field(min_length=1, max_length=100)
    to: str = Field(min_length=3, max_length=32)
    reference: str = Field(default="", max_length=200)


class DialOut(BaseModel):
    """The line's id of the new call."""

    call_id: str


def scenario(number: str) -> str:
    """Returns what a call to this number ends in: unreachable, busy or answered."""
    return {"0": "unreachable", "9": "busy"}.get(number[-1:], "answered")


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat()


class CallBook:
    """The calls placed through the simulated line, kept in memory (thread-safe)."""

    def __init__(self, call_seconds: float) -> None:
        self.call_seconds = max(call_seconds, 0.1)
        self._lock = threading.Lock()
        self._calls: dict[str, dict[str, Any]] = {}

    def place(self, body: DialIn) -> str:
        """Places a call and returns its id."""
        call_id = f"cti-{uuid.uuid4().hex[:16]}"
        call: dict[str, Any] = {"call_id": call_id, "agent": body.agent, "to": body.to}
        call |= {"reference": body.reference, "placed": time.time()}
        with self._lock:
            self._calls[call_id] = call
        return call_id

    def _raw(self, call_id: str) -> dict[str, Any] | None:
        with self._lock:
            return dict(self._calls[call_id]) if call_id in self._calls else None

    def record(self, call_id: str, now: float | None = None) -> dict[str, Any] | None:
        """Returns the call record as the line reports it now, or None for an unknown call."""
        call = self._raw(call_id)
        return None if call is None else self._render(call, time.time() if now is None else now)

    def _render(self, call: dict[str, Any], now: float) -> dict[str, Any]:
        placed = float(call["placed"])
        answers_at, ends_at = placed + self.call_seconds / 3, placed + self.call_seconds
        result = scenario(str(call["to"]))
        done = now >= ends_at
        state = "completed" if done else "ringing"
        if not done and result == "answered" and now >= answers_at:
            state = "in_progress"
        talk = math.ceil(ends_at - answers_at) if result == "answered" else 0
        return {
            "call_id": call["call_id"],
            "agent": call["agent"],
            "to": call["to"],
            "reference": call["reference"],
            "state": state,
            "result": result if done else None,
            "at": _iso(placed),
            "started_at": _iso(placed),
            "ended_at": _iso(ends_at) if done else None,
            "duration_seconds": talk if done else None,
            "has_recording": done and result == "answered",
        }

    def items(self, to: str | None = None) -> list[dict[str, Any]]:
        """Returns every call as recorded now, newest first, optionally only to one number."""
        with self._lock:
            calls = [dict(call) for call in self._calls.values()]
        now = time.time()
        chosen = [self._render(c, now) for c in calls if to is None or c["to"] == to]
        return sorted(chosen, key=lambda item: str(item["started_at"]), reverse=True)

    def clear(self) -> None:
        """Forgets every call."""
        with self._lock:
            self._calls.clear()


def tone_wav(seconds: int) -> bytes:
    """Returns a real WAV file: a 440 Hz tone of the given length, telephone quality."""
    frames = SAMPLE_RATE * max(seconds, 1)
    samples = (int(8000 * math.sin(2 * math.pi * TONE_HZ * n / SAMPLE_RATE)) for n in range(frames))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(b"".join(struct.pack("<h", sample) for sample in samples))
    return buffer.getvalue()


def get_book(request: Request) -> CallBook:
    """Returns the app's call book."""
    return cast(CallBook, request.app.state.cti)


BookDep = Annotated[CallBook, Depends(get_book)]


def _known(book: CallBook, call_id: str) -> dict[str, Any]:
    record = book.record(call_id)
    if record is None:
        raise HTTPException(status_code=404, detail="no such call")
    return record


@router.post("/cti/calls", response_model=DialOut)
async def dial(body: DialIn, book: BookDep) -> DialOut:
    """Places a call from the agent's extension to the number."""
    return DialOut(call_id=book.place(body))


@router.get("/cti/calls/{call_id}")
async def call_record(call_id: str, book: BookDep) -> dict[str, Any]:
    """Returns the call record: state, result, start, end and duration once completed."""
    return _known(book, call_id)


@router.get("/cti/calls/{call_id}/recording")
async def recording(call_id: str, book: BookDep) -> Response:
    """Returns the call's recording (WAV); 409 while the call goes on, 404 when none exists."""
    record = _known(book, call_id)
    if record["state"] != "completed":
        raise HTTPException(status_code=409, detail="the call has not ended yet")
    if not record["has_recording"]:
        raise HTTPException(status_code=404, detail="the call was not answered: no recording")
    return Response(tone_wav(int(record["duration_seconds"])), media_type="audio/wav")


@router.get("/sandbox/calls", response_model=Items, tags=["inspection"])
async def list_calls(book: BookDep, to: str | None = None) -> Items:
    """Lists the calls placed, newest first; ?to= matches the number, exactly."""
    return Items(items=book.items(to))


@router.post("/sandbox/calls/reset", tags=["inspection"])
async def reset_calls(book: BookDep) -> dict[str, bool]:
    """Forgets every call (for demos and tests)."""
    book.clear()
    return {"ok": True}

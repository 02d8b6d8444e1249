"""The sandbox's virtual phone line: calls ring, then end as the number's scenario says."""

from __future__ import annotations

import asyncio
import io
import wave
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from domain.settings import Settings
from sandbox.app import create_app
from sandbox.cti import CallBook, DialIn, scenario
from tests.sandbox.support import ServerThread, free_port

CALL_SECONDS = 1.2


@pytest.fixture(scope="module")
def line_url() -> Iterator[str]:
    """A sandbox whose calls last CALL_SECONDS."""
    settings = Settings(SONGDA_SANDBOX_CALL_SECONDS=CALL_SECONDS, SONGDA_SMTP_PORT=free_port(),
                        SONGDA_SMPP_PORT=free_port())  # fmt: skip
    server = ServerThread(create_app(settings), free_port()).start()
    yield server.url
    server.stop()


@pytest.fixture
async def line(line_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the line, its calls forgotten."""
    async with httpx.AsyncClient(base_url=line_url, timeout=10) as http:
        (await http.post("/sandbox/calls/reset")).raise_for_status()
        yield http


async def dial(line: httpx.AsyncClient, to: str, reference: str = "wo-1") -> str:
    """Places a call and returns its id."""
    answer = await line.post(
        "/cti/calls", json={"agent": "clerk-li", "to": to, "reference": reference}
    )
    assert answer.status_code == 200
    return str(answer.json()["call_id"])


async def ended(line: httpx.AsyncClient, call_id: str) -> dict[str, Any]:
    """Waits for the call to complete and returns its record."""
    for _ in range(100):
        record: dict[str, Any] = (await line.get(f"/cti/calls/{call_id}")).json()
        if record["state"] == "completed":
            return record
        await asyncio.sleep(0.05)
    raise AssertionError("the call never completed")


async def test_answered_call_rings_then_completes_with_a_recording(
    line: httpx.AsyncClient,
) -> None:
    call_id = await dial(line, "13800000002")
    first = (await line.get(f"/cti/calls/{call_id}")).json()
    assert first["state"] in {"ringing", "in_progress"} and first["result"] is None
    assert (await line.get(f"/cti/calls/{call_id}/recording")).status_code == 409
    record = await ended(line, call_id)
    assert record["result"] == "answered"
    assert record["duration_seconds"] >= 1
    assert record["started_at"] < record["ended_at"]
    answer = await line.get(f"/cti/calls/{call_id}/recording")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(answer.content)) as audio:
        assert audio.getframerate() == 8000
        assert audio.getnframes() == 8000 * record["duration_seconds"]


@pytest.mark.parametrize(
    ("number", "result"), [("13800000010", "unreachable"), ("13800000009", "busy")]
)
async def test_dead_and_busy_numbers_leave_no_recording(
    line: httpx.AsyncClient, number: str, result: str
) -> None:
    call_id = await dial(line, number)
    record = await ended(line, call_id)
    assert record["result"] == result
    assert record["duration_seconds"] == 0
    assert (await line.get(f"/cti/calls/{call_id}/recording")).status_code == 404


async def test_unknown_call_is_404(line: httpx.AsyncClient) -> None:
    assert (await line.get("/cti/calls/cti-nope")).status_code == 404
    assert (await line.get("/cti/calls/cti-nope/recording")).status_code == 404


async def test_inspection_lists_calls_newest_first_filtered_by_number(
    line: httpx.AsyncClient,
) -> None:
    first = await dial(line, "13800000002", reference="wo-a")
    second = await dial(line, "13800000003", reference="wo-b")
    third = await dial(line, "13800000002", reference="wo-c")
    items = (await line.get("/sandbox/calls")).json()["items"]
    assert [item["call_id"] for item in items] == [third, second, first]
    only = (await line.get("/sandbox/calls", params={"to": "13800000002"})).json()["items"]
    assert [item["reference"] for item in only] == ["wo-c", "wo-a"]
    assert {"agent", "to", "at", "state", "result"} <= set(only[0])


async def test_bad_dial_is_refused(line: httpx.AsyncClient) -> None:
    assert (await line.post("/cti/calls", json={"agent": "", "to": "138"})).status_code == 422


def test_call_states_over_time() -> None:
    book = CallBook(call_seconds=3.0)
    call_id = book.place(DialIn(agent="clerk-li", to="13800000002", reference="wo-1"))
    placed = datetime.fromisoformat(str(book.record(call_id)["started_at"])).timestamp()  # type: ignore[index]

    def state(after: float) -> tuple[str, str | None]:
        record = book.record(call_id, now=placed + after)
        assert record is not None
        return record["state"], record["result"]

    assert state(0.5) == ("ringing", None)
    assert state(1.5) == ("in_progress", None)
    assert state(3.01) == ("completed", "answered")
    assert book.record("cti-unknown") is None


def test_scenarios_follow_the_last_digit() -> None:
    assert [scenario(n) for n in ("13800000010", "13800000009", "13800000001")] == [
        "unreachable", "busy", "answered",
    ]  # fmt: skip

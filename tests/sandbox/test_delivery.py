"""Events reach songda at least once and in order, even when its API fails or is down."""

from __future__ import annotations

import asyncio

import httpx

from sandbox.app import create_app
from tests.sandbox.conftest import sandbox_settings
from tests.sandbox.support import Receiver, ServerThread, free_port, kinds, wait_for


async def test_events_are_retried_until_accepted_and_stay_in_order(
    client: httpx.AsyncClient, receiver: Receiver
) -> None:
    receiver.fail_next = 2
    body = {"to": "13800000002", "text": "x", "reference": "retry-1", "seconds_per_day": 0.5}
    assert (await client.post("/gateway/sms", json=body)).status_code == 200
    await wait_for(lambda: len(receiver.of("retry-1")) == 1)
    assert receiver.failed == 2
    events = receiver.of("retry-1")
    assert kinds(events) == ["delivered"]
    assert len({e["event_id"] for e in events}) == 1


async def test_events_wait_for_an_api_that_is_down() -> None:
    late = Receiver()
    late.port = free_port()
    sandbox = ServerThread(create_app(sandbox_settings(late.port)), free_port()).start()
    try:
        async with httpx.AsyncClient(base_url=sandbox.url) as http:
            body = {"to": "13800000001", "text": "x", "reference": "down-1", "seconds_per_day": 0.5}
            assert (await http.post("/gateway/sms", json=body)).status_code == 200
        # The receipt is due after 10 ms; the API comes up well after a few refused tries.
        await asyncio.sleep(0.6)
        api = ServerThread(late.app(), late.port).start()
        try:
            await wait_for(lambda: len(late.of("down-1")) == 1, timeout=10)
            assert kinds(late.of("down-1")) == ["delivered"]
        finally:
            api.stop()
    finally:
        sandbox.stop()

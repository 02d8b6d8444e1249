"""SMS and e-mail through the real sandbox: receipts, dedup, the down gateway, flash SMS."""

from __future__ import annotations

import asyncio
from datetime import datetime

import httpx

from tests.sandbox.support import Receiver, kinds, wait_for

SPD = 0.5  # seconds per legal day: receipts in ~10 ms


async def send_sms(client: httpx.AsyncClient, to: str, ref: str, flash: bool = False) -> str:
    """Sends an SMS through the sandbox and returns its message id."""
    body = {"to": to, "text": "请查收", "flash": flash, "reference": ref, "seconds_per_day": SPD}
    response = await client.post("/gateway/sms", json=body)
    assert response.status_code == 200, response.text
    return str(response.json()["message_id"])


async def test_ordinary_number_is_delivered(client: httpx.AsyncClient, receiver: Receiver) -> None:
    # Opening the link is the simulated recipient's part, through the portal (tests/portal).
    message_id = await send_sms(client, "13800000002", "sms-ordinary")
    await wait_for(lambda: len(receiver.of("sms-ordinary")) == 1)
    await asyncio.sleep(0.2)
    events = receiver.of("sms-ordinary")
    assert kinds(events) == ["delivered"]
    assert receiver.providers("sms-ordinary") == ["sandbox-sms"]
    assert events[0]["detail"]["message_id"] == message_id
    assert datetime.fromisoformat(events[0]["occurred_at"]).tzinfo is not None


async def test_number_ending_in_0_is_undeliverable(
    client: httpx.AsyncClient, receiver: Receiver
) -> None:
    await send_sms(client, "13800000000", "sms-dead")
    await wait_for(lambda: len(receiver.of("sms-dead")) == 1)
    await asyncio.sleep(0.2)
    assert kinds(receiver.of("sms-dead")) == ["undeliverable"]


async def test_number_ending_in_1_is_delivered_and_never_opened(
    client: httpx.AsyncClient, receiver: Receiver
) -> None:
    await send_sms(client, "13800000001", "sms-unopened")
    await wait_for(lambda: len(receiver.of("sms-unopened")) == 1)
    await asyncio.sleep(0.2)
    assert kinds(receiver.of("sms-unopened")) == ["delivered"]


async def test_flash_sms_is_delivered_and_recorded_as_flash(
    client: httpx.AsyncClient, receiver: Receiver
) -> None:
    await send_sms(client, "13800000003", "flash-ok", flash=True)
    await send_sms(client, "13800000010", "flash-dead", flash=True)
    await wait_for(lambda: bool(receiver.of("flash-ok")) and bool(receiver.of("flash-dead")))
    await asyncio.sleep(0.2)
    assert kinds(receiver.of("flash-ok")) == ["delivered"]
    assert kinds(receiver.of("flash-dead")) == ["undeliverable"]
    (item,) = (await client.get("/sandbox/sms", params={"to": "13800000003"})).json()["items"]
    assert item["flash"] is True


async def test_gateway_is_down_for_numbers_ending_in_9(
    client: httpx.AsyncClient, receiver: Receiver
) -> None:
    body = {"to": "13800000009", "text": "x", "reference": "sms-down", "seconds_per_day": SPD}
    for _ in range(2):
        response = await client.post("/gateway/sms", json=body)
        assert response.status_code == 503
        assert response.json() == {"error": "gateway unavailable"}
    await asyncio.sleep(0.2)
    assert receiver.of("sms-down") == []
    assert (await client.get("/sandbox/sms", params={"to": "13800000009"})).json()["items"] == []
    refused = (await client.get("/sandbox/sms/refused", params={"to": "13800000009"})).json()
    assert len(refused["items"]) == 2


async def test_same_reference_sends_once(client: httpx.AsyncClient, receiver: Receiver) -> None:
    body = {"to": "13800000004", "text": "a", "reference": "sms-dup", "seconds_per_day": SPD}
    first = (await client.post("/gateway/sms", json=body)).json()
    second = (await client.post("/gateway/sms", json={**body, "text": "b"})).json()
    assert first["duplicate"] is False and second["duplicate"] is True
    assert first["message_id"] == second["message_id"]
    await wait_for(lambda: len(receiver.of("sms-dup")) == 1)
    await asyncio.sleep(0.2)
    assert kinds(receiver.of("sms-dup")) == ["delivered"]
    items = (await client.get("/sandbox/sms", params={"to": "13800000004"})).json()["items"]
    assert [item["text"] for item in items] == ["a"]


async def test_sms_listing_is_newest_first_and_filtered(client: httpx.AsyncClient) -> None:
    await send_sms(client, "13800000006", "list-1")
    await send_sms(client, "13800000007", "list-2")
    await send_sms(client, "13800000006", "list-3")
    items = (await client.get("/sandbox/sms", params={"to": "13800000006"})).json()["items"]
    assert [item["reference"] for item in items] == ["list-3", "list-1"]
    assert {"to", "text", "flash", "at"} <= set(items[0])
    everything = (await client.get("/sandbox/sms")).json()["items"]
    assert [item["reference"] for item in everything] == ["list-3", "list-2", "list-1"]


async def send_email(client: httpx.AsyncClient, to: str, ref: str) -> dict[str, object]:
    """Sends an e-mail through the sandbox and returns the answer."""
    body = {
        "to": to,
        "subject": "送达通知",
        "text": "请查收",
        "reference": ref,
        "seconds_per_day": SPD,
    }
    response = await client.post("/gateway/email", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_email_is_delivered(client: httpx.AsyncClient, receiver: Receiver) -> None:
    sent = await send_email(client, "zhang@example.com", "mail-ok")
    await wait_for(lambda: len(receiver.of("mail-ok")) == 1)
    await asyncio.sleep(0.2)
    events = receiver.of("mail-ok")
    assert kinds(events) == ["delivered"]
    assert receiver.providers("mail-ok") == ["sandbox-email"]
    assert events[0]["detail"] == {"message_id": sent["message_id"]}
    (item,) = (await client.get("/sandbox/email", params={"to": "zhang@example.com"})).json()[
        "items"
    ]
    assert (item["to"], item["subject"], item["text"]) == (
        "zhang@example.com",
        "送达通知",
        "请查收",
    )


async def test_bounce_mailbox_bounces_and_dedups(
    client: httpx.AsyncClient, receiver: Receiver
) -> None:
    first = await send_email(client, "bounce.li@example.com", "mail-bounce")
    again = await send_email(client, "bounce.li@example.com", "mail-bounce")
    assert again == {"message_id": first["message_id"], "duplicate": True}
    await wait_for(lambda: len(receiver.of("mail-bounce")) == 1)
    await asyncio.sleep(0.2)
    (event,) = receiver.of("mail-bounce")
    assert event["kind"] == "bounced"
    assert event["detail"] == {"message_id": first["message_id"], "reason": "mailbox unavailable"}
    listed = await client.get("/sandbox/email", params={"to": "bounce.li@example.com"})
    assert len(listed.json()["items"]) == 1

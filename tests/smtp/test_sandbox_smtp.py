"""The sandbox's SMTP server: records like the HTTP gateway, signed receipts, one per Message-ID."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from activities.channels.email_smtp import SmtpMailer, message_id_for
from domain.settings import Settings
from sandbox import recipient
from sandbox.notifier import Notifier
from sandbox.smtp_server import MailHandler, SmtpServer, smtp_events
from sandbox.state import Records
from tests.sandbox.support import SECRETS, Receiver, free_port, kinds, wait_for
from tests.smtp.support import Certificate

SPD = 0.5  # seconds per legal day: the receipt comes after about 10 ms
COURT = "天津市河西区人民法院"
SUBJECT = f"{COURT}送达通知：（2026）津0103民初1234号"
TEXT = "张*，您好：\n\n请通过以下链接查阅并签收：http://127.0.0.1:8001/s/abc\n"


@pytest.fixture
async def client(
    smtp_sandbox: tuple[str, int], smtp_receiver: Receiver
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a freshly reset sandbox; checks every event arrived correctly signed."""
    async with httpx.AsyncClient(base_url=smtp_sandbox[0], timeout=10) as http:
        (await http.post("/sandbox/reset")).raise_for_status()
        smtp_receiver.reset()
        yield http
    assert smtp_receiver.bad_signatures == 0


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Records the sandbox's calls of the simulated recipient instead of opening a portal."""
    calls: list[tuple[Any, ...]] = []

    def after_message(
        app_state: Any, channel: str, to: str, text: str, flash: bool, seconds_per_day: float
    ) -> None:
        calls.append((channel, to, text, flash, seconds_per_day))

    monkeypatch.setattr(recipient, "after_message", after_message)
    return calls


def send(port: int, to: str, reference: str, **options: Any) -> str:
    """Sends one service e-mail to the SMTP server on port; returns its Message-ID."""
    mailer = SmtpMailer(
        host="127.0.0.1", port=port, sender="songda@court.example", timeout=5.0, **options
    )
    return mailer.send(to, SUBJECT, TEXT, reference, court_name=COURT, seconds_per_day=SPD)


async def emails(client: httpx.AsyncClient, to: str) -> list[dict[str, Any]]:
    """Returns the sandbox's e-mail records for one address."""
    response = await client.get("/sandbox/email", params={"to": to})
    response.raise_for_status()
    return list(response.json()["items"])


async def test_an_ordinary_address_is_recorded_and_delivered(
    client: httpx.AsyncClient,
    smtp_sandbox: tuple[str, int],
    smtp_receiver: Receiver,
    opened: list[tuple[Any, ...]],
) -> None:
    message_id = await asyncio.to_thread(send, smtp_sandbox[1], "li@example.com", "mail-ok")
    await wait_for(lambda: len(smtp_receiver.of("mail-ok")) == 1)
    (event,) = smtp_receiver.of("mail-ok")
    assert event["kind"] == "delivered"
    assert event["detail"] == {"message_id": message_id}
    assert smtp_receiver.providers("mail-ok") == ["smtp"]
    await wait_for(lambda: bool(opened))
    assert opened == [("email", "li@example.com", TEXT, False, SPD)]
    (item,) = await emails(client, "li@example.com")
    assert item["subject"] == SUBJECT
    assert item["text"] == TEXT
    assert item["reference"] == "mail-ok"
    assert item["message_id"] == message_id == message_id_for("mail-ok")
    assert item["status"] == "delivered"
    assert kinds(item["events"]) == ["delivered"]


async def test_a_bounce_address_bounces(
    client: httpx.AsyncClient,
    smtp_sandbox: tuple[str, int],
    smtp_receiver: Receiver,
    opened: list[tuple[Any, ...]],
) -> None:
    message_id = await asyncio.to_thread(send, smtp_sandbox[1], "bounce.me@example.com", "bnc")
    await wait_for(lambda: len(smtp_receiver.of("bnc")) == 1)
    (event,) = smtp_receiver.of("bnc")
    assert event["kind"] == "bounced"
    assert event["detail"]["message_id"] == message_id
    assert event["detail"]["reason"] == "550 mailbox unavailable"
    assert message_id in event["detail"]["dsn"]
    await asyncio.sleep(0.1)
    assert opened == []
    (item,) = await emails(client, "bounce.me@example.com")
    assert item["status"] == "bounced"


async def test_the_same_message_id_twice_is_recorded_once(
    client: httpx.AsyncClient,
    smtp_sandbox: tuple[str, int],
    smtp_receiver: Receiver,
    opened: list[tuple[Any, ...]],
) -> None:
    first = await asyncio.to_thread(send, smtp_sandbox[1], "wang@example.com", "twice")
    second = await asyncio.to_thread(send, smtp_sandbox[1], "wang@example.com", "twice")
    assert first == second
    await wait_for(lambda: len(smtp_receiver.of("twice")) == 1)
    await asyncio.sleep(0.2)
    assert kinds(smtp_receiver.of("twice")) == ["delivered"]
    assert len(await emails(client, "wang@example.com")) == 1
    assert len(opened) == 1


async def test_the_sandbox_server_speaks_starttls(
    certificate: Certificate, smtp_receiver: Receiver, opened: list[tuple[Any, ...]]
) -> None:
    smtp_receiver.reset()
    settings = Settings(
        SONGDA_API_URL=f"http://127.0.0.1:{smtp_receiver.port}", SONGDA_PROVIDER_SECRETS=SECRETS
    )
    state = SimpleNamespace(records=Records(), notifier=Notifier(settings), settings=settings)
    await state.notifier.start()
    tls = certificate.server_context()
    server = SmtpServer(MailHandler(state), "127.0.0.1", free_port(), tls)
    assert await server.start()
    try:
        options = {"starttls": True, "ca_file": certificate.cert}
        await asyncio.to_thread(send, server.port, "zhao@example.com", "tls-1", **options)
        await wait_for(lambda: len(smtp_receiver.of("tls-1")) == 1)
        (item,) = state.records.items("email")
        assert (item["to"], item["reference"], item["text"]) == ("zhao@example.com", "tls-1", TEXT)
    finally:
        await server.aclose()
        await state.notifier.aclose()
    assert smtp_receiver.bad_signatures == 0


async def test_a_taken_port_leaves_the_sandbox_running() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        state = SimpleNamespace(records=Records(), notifier=None)
        server = SmtpServer(MailHandler(state), "127.0.0.1", taken.getsockname()[1])
        assert not await server.start()
        await server.aclose()


def test_receipts_follow_the_local_part() -> None:
    assert kinds_of(smtp_events("Bounce-1@example.com", "<m@x>")) == ["bounced"]
    assert kinds_of(smtp_events("me@bounce.example.com", "<m@x>")) == ["delivered"]


def kinds_of(planned: tuple[Any, ...]) -> list[str]:
    """Returns the kinds of planned events."""
    return [event.kind for event in planned]

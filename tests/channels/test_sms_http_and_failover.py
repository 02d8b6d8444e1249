"""The HTTP SMS gateway against the real sandbox, and failover between providers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from activities.channels.sms.base import (
    ProviderUnavailable,
    SmsMessage,
    SmsProvider,
    SmsSubmitted,
)
from activities.channels.sms.failover import FailoverSms
from activities.channels.sms.http_gateway import HttpSmsGateway
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.tables.core import Base, ProviderMessage
from sandbox.app import create_app
from tests.sandbox.support import ServerThread, free_port


@pytest.fixture(scope="module")
def sandbox_url() -> Iterator[str]:
    """A real sandbox whose receipts go nowhere (no API listens): only its records matter."""
    settings = Settings(
        SONGDA_API_URL=f"http://127.0.0.1:{free_port()}",
        SONGDA_SMTP_PORT=free_port(),
        SONGDA_SMPP_PORT=free_port(),
    )
    server = ServerThread(create_app(settings), free_port()).start()
    yield server.url
    server.stop()


@pytest.fixture
def sessions(tmp_path: Path) -> sessionmaker[Session]:
    engine = make_engine(f"sqlite:///{tmp_path / 'songda.db'}")
    Base.metadata.create_all(engine)
    return make_session_factory(engine)


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as client:
        yield client


def _message(to: str, reference: str) -> SmsMessage:
    return SmsMessage(
        to=to,
        text="【测试法院】张*，您好：请查阅。",
        reference=reference,
        variables={"case": "（2026）津0103民初1号"},
    )


def test_gateway_sends_once_per_reference_and_keeps_the_message_id(
    sandbox_url: str, http: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    gateway = HttpSmsGateway("sandbox-sms", http, sandbox_url, "测试法院", sessions)
    first = gateway.send(_message("13800001112", "t1:electronic:1:phone0s"))
    again = gateway.send(_message("13800001112", "t1:electronic:1:phone0s"))
    assert not first.duplicate and again.duplicate
    assert again.message_ids == first.message_ids
    sent = http.get(f"{sandbox_url}/sandbox/sms", params={"to": "13800001112"}).json()["items"]
    assert len(sent) == 1
    with sessions() as session:
        rows = session.scalars(select(ProviderMessage)).all()
    assert [(r.message_id, r.reference) for r in rows] == [
        (first.message_ids[0], "t1:electronic:1:phone0s")
    ]


def test_gateway_outage_is_unavailable(
    sandbox_url: str, http: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    gateway = HttpSmsGateway("sandbox-sms", http, sandbox_url, "", sessions)
    with pytest.raises(ProviderUnavailable):
        gateway.send(_message("13800001119", "t2:electronic:1:phone0s"))


class Counting:
    """A provider wrapper that counts how often it was asked."""

    def __init__(self, inner: SmsProvider) -> None:
        self.inner = inner
        self.name = inner.name
        self.calls = 0

    def send(self, message: SmsMessage) -> SmsSubmitted:
        self.calls += 1
        return self.inner.send(message)


def test_second_provider_takes_over_while_the_first_keeps_failing(
    sandbox_url: str, http: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    down = Counting(HttpSmsGateway("down", http, f"http://127.0.0.1:{free_port()}", "", sessions))
    up = Counting(HttpSmsGateway("sandbox-sms", http, sandbox_url, "", sessions))
    failover = FailoverSms([down, up], failures_to_trip=3, cool_down=60)
    for n in range(5):
        submitted = failover.send(_message("13800002222", f"t3:electronic:{n}:phone0s"))
        assert submitted.provider == "sandbox-sms"
    assert down.calls == 3  # tripped after three failures, then skipped
    assert up.calls == 5


def test_every_provider_failing_is_unavailable(
    http: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    dead = [
        HttpSmsGateway(f"dead{i}", http, f"http://127.0.0.1:{free_port()}", "", sessions)
        for i in range(2)
    ]
    with pytest.raises(ProviderUnavailable):
        FailoverSms(list(dead)).send(_message("13800003333", "t4:electronic:1:phone0s"))

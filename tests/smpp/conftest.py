"""Fixtures of the SMPP tests: the sandbox with its SMSC, a receiver, SQLite, and a provider."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from activities.channels.sms.smpp import SmppProvider
from activities.channels.sms.smpp_forwarder import ReceiptForwarder
from activities.channels.sms.smpp_link import SmppEndpoint
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.tables.core import Base
from sandbox.app import create_app
from tests.sandbox.support import SECRET, SECRETS, Receiver, ServerThread, free_port
from tests.smpp.support import PASSWORD, SYSTEM_ID


@dataclass
class Sandbox:
    """A running sandbox app whose lifespan runs the SMSC on smpp_port."""

    settings: Settings
    smpp_port: int
    server: ServerThread | None = None

    @property
    def url(self) -> str:
        """Returns the sandbox's HTTP base URL."""
        assert self.server is not None
        return self.server.url

    def start(self) -> Sandbox:
        """Starts the app (and so the SMSC) on fresh HTTP port."""
        self.server = ServerThread(create_app(self.settings), free_port()).start()
        return self

    def stop(self) -> None:
        """Stops the app and its SMSC, dropping every SMPP session."""
        if self.server is not None:
            self.server.stop()
            self.server = None

    def sms(self, to: str, kind: str = "sms") -> list[dict[str, object]]:
        """Returns what GET /sandbox/{kind}?to= lists."""
        response = httpx.get(f"{self.url}/sandbox/{kind}", params={"to": to}, timeout=5)
        response.raise_for_status()
        return list(response.json()["items"])


def smpp_settings(api_port: int, smpp_port: int) -> Settings:
    """Returns settings with the test credentials and every listener on a free port."""
    return Settings(
        SONGDA_API_URL=f"http://127.0.0.1:{api_port}",
        SONGDA_PROVIDER_SECRETS=SECRETS,
        SONGDA_SMPP_PORT=smpp_port,
        SONGDA_SMPP_SYSTEM_ID=SYSTEM_ID,
        SONGDA_SMPP_PASSWORD=PASSWORD,
        SONGDA_SMTP_PORT=free_port(),
    )


@pytest.fixture(scope="session")
def smpp_receiver() -> Iterator[Receiver]:
    """songda's provider-events endpoint stand-in, verifying signatures."""
    recv = Receiver()
    recv.port = free_port()
    server = ServerThread(recv.app(), recv.port).start()
    yield recv
    server.stop()


@pytest.fixture
def receiver(smpp_receiver: Receiver) -> Iterator[Receiver]:
    """The receiver, reset; checks that every event arrived correctly signed."""
    smpp_receiver.reset()
    yield smpp_receiver
    assert smpp_receiver.bad_signatures == 0


@pytest.fixture
def sandbox(smpp_receiver: Receiver) -> Iterator[Sandbox]:
    """A fresh sandbox with its SMSC on a free port."""
    port = free_port()
    running = Sandbox(smpp_settings(smpp_receiver.port, port), port).start()
    yield running
    running.stop()


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """A session factory on a fresh SQLite file with every table."""
    engine = make_engine(f"sqlite:///{tmp_path / 'smpp.db'}")
    Base.metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()


def make_provider(
    sessions: sessionmaker[Session], port: int, api_port: int, password: str = PASSWORD
) -> SmppProvider:
    """Returns a started provider bound to 127.0.0.1:port, forwarding to 127.0.0.1:api_port."""
    forwarder = ReceiptForwarder(
        sessions,
        httpx.Client(timeout=5),
        f"http://127.0.0.1:{api_port}",
        SECRET,
        first_retry=0.05,
        max_retry=0.5,
    )
    endpoint = SmppEndpoint("127.0.0.1", port, SYSTEM_ID, password)
    provider = SmppProvider(sessions, endpoint, forwarder, source_addr="12368", timeout=3.0)
    provider.start()
    return provider


@pytest.fixture
def provider(
    sandbox: Sandbox, sessions: sessionmaker[Session], receiver: Receiver
) -> Iterator[SmppProvider]:
    """An SMPP provider on the sandbox's SMSC, its receipts going to the receiver."""
    made = make_provider(sessions, sandbox.smpp_port, receiver.port)
    yield made
    made.close()
    made.forwarder.http.close()

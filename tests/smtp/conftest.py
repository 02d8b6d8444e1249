"""Fixtures of the SMTP tests: a certificate, a capturing server, and a sandbox with its SMTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from domain.settings import Settings
from sandbox.app import create_app
from tests.sandbox.support import SECRETS, Receiver, ServerThread, free_port
from tests.smtp.support import Certificate, Inbox, make_certificate, smtp_server


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A self-signed certificate for localhost, made once."""
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def inbox() -> Inbox:
    """A fresh capturing handler."""
    return Inbox()


@pytest.fixture
def plain_port(inbox: Inbox) -> Iterator[int]:
    """The port of a plain SMTP server (no TLS, no auth) feeding inbox."""
    with smtp_server(inbox) as port:
        yield port


@pytest.fixture(scope="session")
def smtp_receiver() -> Iterator[Receiver]:
    """songda's provider-events endpoint stand-in, verifying signatures."""
    recv = Receiver()
    recv.port = free_port()
    server = ServerThread(recv.app(), recv.port).start()
    yield recv
    server.stop()


@pytest.fixture(scope="session")
def smtp_sandbox(smtp_receiver: Receiver) -> Iterator[tuple[str, int]]:
    """A real sandbox whose lifespan runs its SMTP server on a free port: (URL, SMTP port)."""
    smtp_port = free_port()
    settings = Settings(
        SONGDA_API_URL=f"http://127.0.0.1:{smtp_receiver.port}",
        SONGDA_PROVIDER_SECRETS=SECRETS,
        SONGDA_SMTP_PORT=smtp_port,
    )
    server = ServerThread(create_app(settings), free_port()).start()
    yield server.url, smtp_port
    server.stop()

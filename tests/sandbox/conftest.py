"""Fixtures of the sandbox tests: a real sandbox and a receiver, each on its own free port."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from domain.settings import Settings
from sandbox.app import create_app
from tests.sandbox.support import SECRETS, Receiver, ServerThread, free_port


def sandbox_settings(api_port: int) -> Settings:
    """Returns settings that send the sandbox's events to 127.0.0.1:api_port."""
    return Settings(SONGDA_API_URL=f"http://127.0.0.1:{api_port}", SONGDA_PROVIDER_SECRETS=SECRETS)


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    """songda's API stand-in, for the whole session."""
    recv = Receiver()
    recv.port = free_port()
    server = ServerThread(recv.app(), recv.port).start()
    yield recv
    server.stop()


@pytest.fixture(scope="session")
def sandbox_url(receiver: Receiver) -> Iterator[str]:
    """The sandbox's base URL, posting its events to the receiver."""
    settings = sandbox_settings(receiver.port)
    server = ServerThread(create_app(settings), free_port()).start()
    yield server.url
    server.stop()


@pytest.fixture
async def client(sandbox_url: str, receiver: Receiver) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a freshly reset sandbox; checks every event arrived correctly signed."""
    async with httpx.AsyncClient(base_url=sandbox_url, timeout=10) as http:
        (await http.post("/sandbox/reset")).raise_for_status()
        receiver.reset()
        yield http
    assert receiver.bad_signatures == 0

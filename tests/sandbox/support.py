"""Helpers of the sandbox tests: uvicorn in a thread, and a receiver standing in for songda."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn
from fastapi import FastAPI, Request, Response

from domain.crypto.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from domain.pure.providers import PROVIDERS

SECRET = "sandbox-test-secret"
# SONGDA_PROVIDER_SECRETS giving every provider the test secret (each signs over its own name).
SECRETS = ",".join(f"{name}={SECRET}" for name in PROVIDERS)


def free_port() -> int:
    """Returns a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerThread:
    """A real uvicorn server on 127.0.0.1:port, run in a background thread."""

    def __init__(self, app: FastAPI, port: int) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.url = f"http://127.0.0.1:{port}"
        self._thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> ServerThread:
        """Starts the server and waits until it listens."""
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"server on {self.url} did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Asks the server to exit and waits for it."""
        self.server.should_exit = True
        self._thread.join(timeout=10)


class Receiver:
    """songda's provider-events endpoint: verifies signatures, records events, can fail."""

    def __init__(self, secret: str = SECRET) -> None:
        self.secret = secret
        self._lock = threading.Lock()
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.fail_next = 0
        self.failed = 0
        self.bad_signatures = 0
        self.port = 0

    def reset(self) -> None:
        """Forgets what was received."""
        with self._lock:
            self.events.clear()
            self.fail_next = self.failed = self.bad_signatures = 0

    def of(self, reference: str) -> list[dict[str, Any]]:
        """Returns the accepted events of one send, in arrival order."""
        with self._lock:
            return [event for _, event in self.events if event["reference"] == reference]

    def providers(self, reference: str) -> list[str]:
        """Returns the provider names the events of one send were posted under."""
        with self._lock:
            return [name for name, event in self.events if event["reference"] == reference]

    def _answer(self, provider: str, body: bytes, timestamp: str | None, sig: str | None) -> int:
        with self._lock:
            if not verify(self.secret, timestamp, sig, body, max_age=300, scope=provider):
                self.bad_signatures += 1
                return 401
            if self.fail_next > 0:
                self.fail_next -= 1
                self.failed += 1
                return 500
            self.events.append((provider, json.loads(body)))
            return 200

    def app(self) -> FastAPI:
        """Returns the receiver's FastAPI app."""
        app = FastAPI()

        @app.post("/v1/providers/{provider}/events")
        async def receive(provider: str, request: Request) -> Response:
            body = await request.body()
            headers = request.headers
            status = self._answer(
                provider, body, headers.get(TIMESTAMP_HEADER), headers.get(SIGNATURE_HEADER)
            )
            return Response(status_code=status)

        return app


async def wait_for(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Waits until check() holds, or fails the test after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def kinds(events: list[dict[str, Any]]) -> list[str]:
    """Returns the kinds of events, in order."""
    return [event["kind"] for event in events]

"""Helpers of the SMPP tests: a standalone SMSC on its own event loop, polling, a raw ESME."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable
from types import SimpleNamespace

from domain.settings import Settings
from sandbox import smpp_pdu as smpp
from sandbox.smpp_server import SmsCenter
from sandbox.state import Records

SYSTEM_ID = "songda"
PASSWORD = "smpp-pw"  # SMPP 3.4 passwords hold at most 8 characters


def eventually(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Waits until check() holds, or fails the test after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


class SmscThread:
    """The sandbox's SMSC without the HTTP app, on an event loop in a background thread."""

    def __init__(self, settings: Settings, port: int, seconds_per_day: float) -> None:
        self.records = Records()
        state = SimpleNamespace(records=self.records, recipient=None)
        self.center = SmsCenter(state, settings, port=port, seconds_per_day=seconds_per_day)
        self.port = port
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self) -> SmscThread:
        """Starts listening and waits until it does."""
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(self.center.start(), self._loop)
        if not started.result(timeout=5):
            raise RuntimeError(f"the SMSC could not listen on {self.port}")
        return self

    def stop(self) -> None:
        """Closes the SMSC and its loop."""
        asyncio.run_coroutine_threadsafe(self.center.aclose(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()


class RawEsme:
    """A bare TCP client speaking PDUs through the sandbox's own codec."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sequence = 0

    def send(self, command_id: int, body: bytes = b"") -> int:
        """Sends a request and returns its sequence number."""
        self.sequence += 1
        self.sock.sendall(smpp.Pdu(command_id, 0, self.sequence, body).encode())
        return self.sequence

    def answer(self, pdu: smpp.Pdu, status: int = smpp.ESME_ROK) -> None:
        """Answers a request from the SMSC."""
        self.sock.sendall(smpp.Pdu(pdu.command_id | smpp.RESPONSE, status, pdu.sequence).encode())

    def read(self) -> smpp.Pdu:
        """Reads the next PDU."""
        head = self._exactly(smpp.HEADER.size)
        length = smpp.HEADER.unpack(head)[0]
        return smpp.Pdu.decode(head + self._exactly(length - smpp.HEADER.size))

    def bind(self, system_id: str = SYSTEM_ID, password: str = PASSWORD) -> smpp.Pdu:
        """Binds as a transceiver and returns the answer."""
        self.send(smpp.BIND_TRANSCEIVER, smpp.Bind(system_id, password).encode())
        return self.read()

    def close(self) -> None:
        """Closes the connection."""
        self.sock.close()

    def _exactly(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.sock.recv(size - len(data))
            if not chunk:
                raise ConnectionError("the SMSC closed the connection")
            data += chunk
        return data


class SilentSmsc:
    """An SMSC that accepts one bind and then never answers again (a half-dead link)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> SilentSmsc:
        """Starts accepting in the background."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Closes every socket."""
        self.listener.close()
        for connection in self.connections:
            connection.close()

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = self.listener.accept()
                self.connections.append(connection)
                head = connection.recv(smpp.HEADER.size)
                length, command_id, _, sequence = smpp.HEADER.unpack(head)
                connection.recv(length - smpp.HEADER.size)
                answer = smpp.Pdu(command_id | smpp.RESPONSE, 0, sequence, b"silent\0")
                connection.sendall(answer.encode())

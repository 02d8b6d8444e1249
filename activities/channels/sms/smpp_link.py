"""One SMPP transceiver bind kept open: a reader thread, answers by sequence, receipts handed on.

smpplib is not thread-safe: one reader thread does all the reading and every write takes one
lock; senders wait for their answer by sequence number, with a timeout, never for ever.
"""

from __future__ import annotations

import contextlib
import select
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog
from smpplib import client as smpp_client
from smpplib import exceptions as smpp_errors
from smpplib import smpp as smpp_pdus

log = structlog.get_logger(__name__)

ESM_TYPE_MASK = 0x3C
ESM_DELIVERY_RECEIPT = 0x04
POLL_SECONDS = 0.2
FIRST_REBIND_SECONDS = 0.5
MAX_REBIND_SECONDS = 30.0
LINK_ERRORS = (smpp_errors.ConnectionError, smpp_errors.PDUError, OSError)


class SmppLinkDown(Exception):
    """The bind failed, broke, or went silent; whether the last PDU arrived is unknown."""


@dataclass(frozen=True)
class SmppEndpoint:
    """Where the SMSC listens and how to bind to it."""

    host: str
    port: int
    system_id: str
    password: str
    system_type: str = ""

    def __post_init__(self) -> None:
        # SMPP 3.4 fields are C-strings of at most 16 and 9 octets: smpplib would cut them.
        if len(self.system_id) > 15 or len(self.password) > 8:
            raise ValueError(
                "SMPP allows a system id of at most 15 characters and a password of at most 8: "
                "check SONGDA_SMPP_SYSTEM_ID and SONGDA_SMPP_PASSWORD"
            )


class _Answer:
    """The slot the reader fills with the answer to one request."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.pdu: Any = None


class SmppLink:
    """Keeps one transceiver bind (re-binding in the background), and hands receipts on."""

    def __init__(
        self,
        endpoint: SmppEndpoint,
        on_receipt: Callable[[str], None],
        timeout: float = 10.0,
        keepalive: float = 30.0,
    ) -> None:
        self.endpoint = endpoint
        self.on_receipt = on_receipt
        self.timeout = timeout
        self.keepalive = keepalive
        self._client: Any = None
        self._bind_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._answers_lock = threading.Lock()
        self._answers: dict[int, _Answer] = {}
        self._stop = threading.Event()
        self._closing = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_write = self._last_read = time.monotonic()

    @property
    def bound(self) -> bool:
        """Tells whether a bind is up right now."""
        return self._client is not None

    def start(self) -> None:
        """Starts the reader thread, which binds and re-binds in the background."""
        with self._bind_lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._closing.clear()
            self._thread = threading.Thread(target=self._run, name="smpp-reader", daemon=True)
            self._thread.start()

    def close(self) -> None:
        """Unbinds politely, stops the reader and closes the connection."""
        self._closing.set()  # no new bind from here on, while the reader takes the answer
        if self._client is not None:
            with contextlib.suppress(SmppLinkDown):
                self._request("unbind")
        self._stop.set()
        self._drop(self._client, "closed")
        if self._thread is not None:
            self._thread.join(timeout=self.timeout)

    def request(self, command: str, **fields: Any) -> Any:
        """Sends a PDU and returns smpplib's answer PDU; SmppLinkDown when there is none."""
        self.start()
        return self._request(command, **fields)

    def _request(self, command: str, **fields: Any) -> Any:
        client = self._bound()
        answer = _Answer()
        with self._write_lock:
            try:
                pdu = smpp_pdus.make_pdu(command, client=client, **fields)
                with self._answers_lock:
                    self._answers[pdu.sequence] = answer
                client.send_pdu(pdu)
                self._last_write = time.monotonic()
            except LINK_ERRORS as error:
                self._drop(client, f"send failed ({type(error).__name__})")
                raise SmppLinkDown(f"the SMPP link broke while sending {command}") from None
        if not answer.ready.wait(self.timeout):
            self._drop(client, f"no answer to {command}")
            raise SmppLinkDown(f"the SMSC did not answer {command} within {self.timeout:g} s")
        if answer.pdu is None:
            raise SmppLinkDown(f"the SMPP link broke before the SMSC answered {command}")
        return answer.pdu

    def _bound(self) -> Any:
        with self._bind_lock:
            if self._client is None:
                if self._closing.is_set():
                    raise SmppLinkDown("the SMPP link is closing")
                self._client = self._bind()
            return self._client

    def _bind(self) -> Any:
        ep = self.endpoint
        where = f"{ep.host}:{ep.port}"
        client = smpp_client.Client(
            ep.host, ep.port, timeout=self.timeout, allow_unknown_opt_params=True
        )
        try:
            client.connect()
            client.bind_transceiver(
                system_id=ep.system_id, password=ep.password, system_type=ep.system_type
            )
        except LINK_ERRORS as error:
            client.disconnect()
            problem = f"cannot be reached ({type(error).__name__})"
            if isinstance(error, smpp_errors.PDUError) and len(error.args) > 1:
                problem = (
                    f"refused the bind (status 0x{int(error.args[1]):02X}): "
                    "check SONGDA_SMPP_SYSTEM_ID and SONGDA_SMPP_PASSWORD"
                )
            raise SmppLinkDown(f"the SMSC at {where} {problem}") from None
        log.info("smpp.bound", smsc=where)
        self._last_write = self._last_read = time.monotonic()
        return client

    def _drop(self, client: Any, reason: str) -> None:
        """Forgets a broken bind and wakes every sender still waiting on it."""
        if client is None:
            return
        with self._bind_lock:
            current = self._client is client
            if current:
                self._client = None
        with contextlib.suppress(Exception):
            client.disconnect()
        if not current:
            return
        (log.info if self._closing.is_set() else log.warning)("smpp.link_down", reason=reason)
        with self._answers_lock:
            waiting, self._answers = list(self._answers.values()), {}
        for answer in waiting:
            answer.ready.set()

    def _run(self) -> None:
        delay = FIRST_REBIND_SECONDS
        while not self._stop.is_set():
            try:
                client = self._bound()
            except SmppLinkDown as error:
                if not self._closing.is_set():
                    log.warning("smpp.bind_failed", error=str(error), retry_in=delay)
                self._stop.wait(delay)
                delay = min(delay * 2, MAX_REBIND_SECONDS)
                continue
            delay = FIRST_REBIND_SECONDS
            try:
                self._read(client)
            except Exception as error:  # the reader must outlive any broken PDU or socket
                self._drop(client, f"read failed ({type(error).__name__})")

    def _read(self, client: Any) -> None:
        while not self._stop.is_set() and self._client is client:
            # smpplib has no public accessor for its socket; select needs it to poll.
            readable, _, _ = select.select([client._socket], [], [], POLL_SECONDS)
            now = time.monotonic()
            if not readable:
                if now - self._last_read > self.keepalive + self.timeout:
                    # An enquire_link went out keepalive seconds after the last write, and
                    # nothing came back in time: the connection is dead though still open.
                    raise SmppLinkDown("the SMSC stopped answering")
                if now - self._last_write > self.keepalive:
                    self._write(client, "enquire_link")
                continue
            self._last_read = now
            try:
                pdu = client.read_pdu()
            except smpp_errors.UnknownCommandError as error:
                log.warning("smpp.unknown_pdu", error=str(error))  # read whole, so skippable
                continue
            self._dispatch(client, pdu)

    def _dispatch(self, client: Any, pdu: Any) -> None:
        command = str(pdu.command)
        if command.endswith("_resp") or command == "generic_nack":
            with self._answers_lock:
                answer = self._answers.pop(int(pdu.sequence), None)
            if answer is not None:
                answer.pdu = pdu
                answer.ready.set()
        elif command == "deliver_sm":
            if (pdu.esm_class or 0) & ESM_TYPE_MASK == ESM_DELIVERY_RECEIPT:
                raw = bytes(pdu.short_message or pdu.message_payload or b"")
                # Handed on before the answer: a receipt we acknowledged is never lost here.
                self.on_receipt(raw.decode("latin-1"))
            else:
                log.info("smpp.mobile_originated_ignored")
            self._write(client, "deliver_sm_resp", pdu.sequence)
        elif command in ("enquire_link", "unbind"):
            self._write(client, f"{command}_resp", pdu.sequence)
            if command == "unbind":
                self._drop(client, "the SMSC unbound")
        else:
            log.info("smpp.pdu_ignored", command=command)

    def _write(self, client: Any, command: str, sequence: int | None = None) -> None:
        """Sends a PDU that needs no answer (an answer, or enquire_link)."""
        with self._write_lock:
            # Made under the lock: smpplib numbers new PDUs from a shared counter.
            pdu = smpp_pdus.make_pdu(command, client=client)
            if sequence is not None:
                pdu.sequence = sequence
            client.send_pdu(pdu)
            self._last_write = time.monotonic()

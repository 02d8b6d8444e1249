"""Forwards SMPP receipts to songda's API from a small in-memory queue, retried until taken."""

from __future__ import annotations

import heapq
import itertools
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx
import structlog
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from activities.channels.sms.smpp_receipts import PROVIDER, parse_receipt, receipt_event
from domain.crypto.signing import signed_headers
from domain.settings import Settings
from domain.tables.core import ProviderMessage

FIRST_RETRY_SECONDS = 0.2
MAX_RETRY_SECONDS = 30.0
POST_TIMEOUT_SECONDS = 10.0

log = structlog.get_logger(__name__)


@dataclass(order=True)
class _Pending:
    due: float
    order: int
    raw: str = ""
    tries: int = 0


class ReceiptForwarder:
    """Forwards receipts from a small in-memory queue, retrying with backoff until accepted."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        http: httpx.Client,
        api_url: str,
        secret: str,
        first_retry: float = FIRST_RETRY_SECONDS,
        max_retry: float = MAX_RETRY_SECONDS,
    ) -> None:
        self.session_factory = session_factory
        self.http = http
        self.url = f"{api_url.rstrip('/')}/v1/providers/{PROVIDER}/events"
        self.secret = secret
        self.first_retry = first_retry
        self.max_retry = max_retry
        self._queue: list[_Pending] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._stopped = False
        self._busy = False
        self._thread: threading.Thread | None = None

    @classmethod
    def from_settings(
        cls, settings: Settings, session_factory: sessionmaker[Session]
    ) -> ReceiptForwarder:
        """Returns a forwarder posting to the configured API with its own HTTP client."""
        http = httpx.Client(timeout=POST_TIMEOUT_SECONDS)
        secret = settings.provider_secret_map.get(PROVIDER, "")
        return cls(session_factory, http, settings.effective_api_url, secret)

    @property
    def pending(self) -> int:
        """Counts the receipts not yet accepted by the API."""
        with self._wake:
            return len(self._queue) + int(self._busy)

    def submit(self, raw: str) -> None:
        """Queues a receipt's text for forwarding; never blocks on the network."""
        self._push(_Pending(time.monotonic(), next(self._order), raw))

    def start(self) -> None:
        """Starts the forwarding thread."""
        with self._wake:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stopped = False
            self._thread = threading.Thread(target=self._run, name="smpp-receipts", daemon=True)
            self._thread.start()

    def close(self, drain_seconds: float = POST_TIMEOUT_SECONDS) -> None:
        """Forwards what is queued (for up to drain_seconds), then stops; the rest is logged."""
        deadline = time.monotonic() + drain_seconds
        with self._wake:
            running = self._thread is not None and self._thread.is_alive()
            while running and (self._queue or self._busy) and time.monotonic() < deadline:
                self._wake.wait(min(0.05, max(0.0, deadline - time.monotonic())))
            self._stopped = True
            self._wake.notify_all()
            left = len(self._queue)
        if self._thread is not None:
            self._thread.join(timeout=POST_TIMEOUT_SECONDS)
        if left:
            log.warning("smpp.receipts_not_forwarded", count=left)

    def forward(self, raw: str) -> bool:
        """Tries once; True when the receipt is done with (accepted, or nothing to report)."""
        try:
            receipt = parse_receipt(raw)
        except ValueError:
            # No message id to match and nothing to retry: keep the evidence in the log.
            log.error("smpp.receipt_unreadable", raw=raw[:200])
            return True
        if receipt.kind is None:
            log.info("smpp.receipt_intermediate", message_id=receipt.message_id, stat=receipt.stat)
            return True
        found = self._lookup(receipt.message_id)
        if found is None:
            return False  # the send may not have stored its message ids yet
        reference, part, parts = found
        # Every part's receipt is reported, numbered: a long SMS reached the party only when
        # every part did, since the link may be in the last (issue 12, item 11).
        event = receipt_event(receipt, reference)
        event["detail"] = {**event["detail"], "part": str(part), "parts": str(parts)}
        return self._post(event)

    def _lookup(self, message_id: str) -> tuple[str, int, int] | None:
        """Returns the message's reference, the part this id is, and how many parts it has."""
        with self.session_factory() as session:
            row = session.execute(
                select(ProviderMessage.reference, ProviderMessage.part).where(
                    ProviderMessage.provider == PROVIDER, ProviderMessage.message_id == message_id
                )
            ).first()
            if row is None:
                return None
            parts = session.scalar(
                select(func.count()).where(
                    ProviderMessage.provider == PROVIDER, ProviderMessage.reference == row[0]
                )
            )
        return str(row[0]), int(row[1]), int(parts or 1)

    def _post(self, event: dict[str, Any]) -> bool:
        body = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()
        # Signed afresh on every try: the API refuses stale timestamps.
        signed = signed_headers(self.secret, body, scope=PROVIDER)
        headers = {**signed, "Content-Type": "application/json"}
        try:
            response = self.http.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as error:
            log.warning("smpp.receipt_retry", error=type(error).__name__)
            return False
        if not response.is_success:
            log.warning("smpp.receipt_retry", status=response.status_code)
            return False
        log.info("smpp.receipt_forwarded", kind=event["kind"], reference=event["reference"])
        return True

    def _push(self, item: _Pending) -> None:
        with self._wake:
            heapq.heappush(self._queue, item)
            self._wake.notify_all()  # the runner, and close() waiting for the queue to drain

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._stopped and (
                    not self._queue or self._queue[0].due > time.monotonic()
                ):
                    wait = self._queue[0].due - time.monotonic() if self._queue else None
                    self._wake.wait(wait)
                if self._stopped:
                    return
                item = heapq.heappop(self._queue)
                self._busy = True
            try:
                done = self.forward(item.raw)
            except Exception as error:  # a database hiccup must not lose the receipt
                log.warning("smpp.receipt_retry", error=type(error).__name__)
                done = False
            with self._wake:
                self._busy = False
                if not done:
                    if item.tries % 20 == 19:
                        log.warning("smpp.receipt_still_pending", tries=item.tries + 1)
                    delay = min(self.first_retry * 2**item.tries, self.max_retry)
                    retry = _Pending(time.monotonic() + delay, item.order, item.raw, item.tries + 1)
                    heapq.heappush(self._queue, retry)
                self._wake.notify_all()

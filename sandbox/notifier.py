"""Posts the world's events back to songda: signed, in order per send, retried until accepted."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
import structlog

from domain.crypto.signing import signed_headers
from domain.settings import Settings
from sandbox.world import PlannedEvent

PROVIDER_SMS = "sandbox-sms"
PROVIDER_EMAIL = "sandbox-email"
PROVIDER_POST = "sandbox-post"
FIRST_RETRY_SECONDS = 0.2
MAX_RETRY_SECONDS = 5.0
POST_TIMEOUT_SECONDS = 10.0

Event = dict[str, Any]
OnOccur = Callable[[Event], None]

log = structlog.get_logger(__name__)


def now_iso() -> str:
    """Returns the current UTC time in ISO 8601 with its offset."""
    return datetime.now(UTC).isoformat()


def encode(event: Event) -> bytes:
    """Returns the compact JSON bytes that are signed and sent."""
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()


def make_event(reference: str, planned: PlannedEvent, detail: dict[str, str]) -> Event:
    """Builds the event that occurs now; its id stays the same across retries."""
    return {
        "event_id": str(uuid.uuid4()),
        "reference": reference,
        "kind": planned.kind,
        "occurred_at": now_iso(),
        "detail": {**detail, **planned.detail},
    }


class Notifier:
    """Runs one background task per send, delivering its planned events at least once."""

    def __init__(self, settings: Settings, on_accepted: OnOccur | None = None) -> None:
        self._settings = settings
        self._on_accepted = on_accepted
        self._client: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Opens the HTTP client (called from the app's lifespan)."""
        self._client = httpx.AsyncClient(timeout=POST_TIMEOUT_SECONDS)

    async def aclose(self) -> None:
        """Stops pending deliveries and closes the HTTP client."""
        await self.cancel_all()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def cancel_all(self) -> None:
        """Cancels every pending delivery (sandbox reset, shutdown)."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    @property
    def pending(self) -> int:
        """Counts the sends whose events are not all accepted yet."""
        return len(self._tasks)

    def schedule(
        self,
        *,
        provider: str,
        reference: str,
        seconds_per_day: float,
        planned: Sequence[PlannedEvent],
        detail: dict[str, str],
        on_occur: OnOccur | None = None,
    ) -> None:
        """Starts delivering planned events, each due after_days legal days from now."""
        run = self._run(provider, reference, seconds_per_day, planned, detail, on_occur)
        task = asyncio.create_task(run, name=f"sandbox-events-{reference}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(
        self,
        provider: str,
        reference: str,
        seconds_per_day: float,
        planned: Sequence[PlannedEvent],
        detail: dict[str, str],
        on_occur: OnOccur | None,
    ) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        # One task per send, events in sequence: a later receipt never overtakes an earlier one.
        for item in planned:
            due = started + item.after_days * seconds_per_day
            await asyncio.sleep(max(0.0, due - loop.time()))
            event = make_event(reference, item, detail)
            if on_occur is not None:
                on_occur(event)
            if item.notify:
                await self._deliver(provider, event)

    async def _deliver(self, provider: str, event: Event) -> None:
        url = f"{self._settings.effective_api_url.rstrip('/')}/v1/providers/{provider}/events"
        delay = FIRST_RETRY_SECONDS
        while not await self._post_once(provider, url, event):
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_SECONDS)
        if self._on_accepted is not None:
            self._on_accepted(event)
        log.info(
            "sandbox.event_accepted",
            provider=provider,
            kind=event["kind"],
            reference=event["reference"],
        )

    async def _post_once(self, provider: str, url: str, event: Event) -> bool:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=POST_TIMEOUT_SECONDS)
        body = encode(event)
        # Signed afresh on every try (songda refuses stale timestamps), with this provider's
        # own secret over its name, so the event is good under this provider's path only.
        headers = {
            **signed_headers(
                self._settings.provider_secret_map.get(provider, ""), body, scope=provider
            ),
            "Content-Type": "application/json",
        }
        try:
            response = await self._client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            log.warning(
                "sandbox.event_retry",
                kind=event["kind"],
                reference=event["reference"],
                error=type(exc).__name__,
            )
            return False
        if response.is_success:
            return True
        log.warning(
            "sandbox.event_retry",
            kind=event["kind"],
            reference=event["reference"],
            status=response.status_code,
        )
        return False

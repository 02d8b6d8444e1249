"""The simulated recipient: opens a delivered link in the portal as a person would.

It passes the identity check with the one-time code the portal sends (read from the sandbox's
own records), opens the documents, views the first and confirms receipt, so the portal's
receipts are what serve the party, as in the real world.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import structlog

from domain.pure.masking import mask_email, mask_phone
from sandbox import world
from sandbox.state import Records

LINK = re.compile(r"(https?://[!-~]+?)/s/([A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])")
CODE = re.compile(r"验证码\s*(\d{6})")
VIEW_LINK = re.compile(r'href="(/s/[A-Za-z0-9_-]{32}/documents/[0-9a-f]{64}/view)"')
USER_AGENT = "Mozilla/5.0 (Linux; Android 14; songda sandbox recipient) Mobile"
VISIT_TRIES = 4
FIRST_BACKOFF_SECONDS = 1.0
CODE_WAIT_SECONDS = 10.0
CODE_POLL_SECONDS = 0.05
HTTP_TIMEOUT_SECONDS = 10.0
# What the portal says when a code went out less than a minute ago.
CODE_THROTTLED = "每分钟只能发送一次"
# Answers after which trying again cannot help: unknown, expired or locked link.
FINAL_STATUSES = frozenset({404, 410, 423})

log = structlog.get_logger(__name__)


class VisitFailed(Exception):
    """A step of the visit did not answer as a person would expect."""

    def __init__(self, step: str, status: int) -> None:
        super().__init__(f"{step} answered {status}")
        self.step = step
        self.status = status


def _masked(channel: str, to: str) -> str:
    return mask_email(to) if channel == "email" else mask_phone(to)


def simulated_address(to: str) -> str:
    """Returns the recipient's own client address (IPv6 documentation range), fixed per person."""
    # The portal limits attempts per client address; every simulated person connects from
    # 127.0.0.1, so each says where it "really" is, as the court's reverse proxy would.
    digest = hashlib.sha256(to.encode()).hexdigest()
    return f"2001:db8::{digest[:4]}:{digest[4:8]}:{digest[8:12]}"


def _expect(response: httpx.Response, step: str, status: int = 200) -> httpx.Response:
    if response.status_code != status:
        raise VisitFailed(step, response.status_code)
    return response


class Recipient:
    """Runs the simulated visits as background tasks on the sandbox's event loop."""

    def __init__(self, records: Records) -> None:
        self.records = records
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Remembers the event loop (called from the app's lifespan)."""
        self._loop = asyncio.get_running_loop()

    async def aclose(self) -> None:
        """Stops the visits still pending."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def schedule(self, channel: str, to: str, link: str, delay: float) -> None:
        """Visits link after delay seconds; callable from the loop or from another thread."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        loop = running or self._loop
        if loop is None:
            log.warning("sandbox.recipient_not_started", to=_masked(channel, to))
            return
        if loop is running:
            self._spawn(channel, to, link, delay)
        else:
            loop.call_soon_threadsafe(self._spawn, channel, to, link, delay)

    def _spawn(self, channel: str, to: str, link: str, delay: float) -> None:
        task = asyncio.create_task(self._visit_with_retries(channel, to, link, delay))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _visit_with_retries(self, channel: str, to: str, link: str, delay: float) -> None:
        await asyncio.sleep(delay)
        backoff = FIRST_BACKOFF_SECONDS
        for attempt in range(1, VISIT_TRIES + 1):
            try:
                await self._visit(channel, to, link)
                log.info("sandbox.recipient_confirmed", to=_masked(channel, to))
                return
            except (httpx.HTTPError, VisitFailed) as error:
                final = isinstance(error, VisitFailed) and error.status in FINAL_STATUSES
                log.warning(
                    "sandbox.recipient_visit_failed",
                    to=_masked(channel, to),
                    attempt=attempt,
                    error=str(error) if isinstance(error, VisitFailed) else type(error).__name__,
                )
                if final:
                    return
            except Exception as error:  # never let a visit take the sandbox down
                log.error("sandbox.recipient_crashed", error=type(error).__name__)
            await asyncio.sleep(backoff)
            backoff *= 2
        log.error("sandbox.recipient_gave_up", to=_masked(channel, to))

    async def _visit(self, channel: str, to: str, link: str) -> None:
        found = LINK.search(link)
        if found is None:
            raise VisitFailed("read the link", 404)
        base = f"{found.group(1)}/s/{found.group(2)}"
        headers = {
            "User-Agent": USER_AGENT,
            "Accept-Language": "zh-CN",
            "X-Forwarded-For": simulated_address(to),
        }
        async with httpx.AsyncClient(headers=headers, timeout=HTTP_TIMEOUT_SECONDS) as http:
            _expect(await http.get(base), "open the link")
            asked = datetime.now(UTC)
            sent = await http.post(f"{base}/code")
            if sent.status_code == 429 and CODE_THROTTLED in sent.text:
                asked -= timedelta(minutes=10)  # a code went out a moment ago: use that one
            elif sent.status_code != 303:
                raise VisitFailed("ask for a code", sent.status_code)
            code = await self._wait_for_code(channel, to, asked)
            _expect(
                await http.post(f"{base}/code/verify", data={"code": code}), "enter the code", 303
            )
            page = _expect(await http.get(f"{base}/documents"), "open the documents")
            view = VIEW_LINK.search(page.text)
            if view is not None:
                _expect(await http.get(f"{found.group(1)}{view.group(1)}"), "view a document")
            _expect(await http.post(f"{base}/confirm"), "confirm receipt")

    async def _wait_for_code(self, channel: str, to: str, since: datetime) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CODE_WAIT_SECONDS
        while loop.time() < deadline:
            code = self.newest_code(channel, to, since)
            if code is not None:
                return code
            await asyncio.sleep(CODE_POLL_SECONDS)
        raise VisitFailed("wait for the code message", 504)

    def newest_code(self, channel: str, to: str, since: datetime) -> str | None:
        """Returns the code in the newest code message to `to` sent since then, if any."""
        kind = "email" if channel == "email" else "sms"
        for item in self.records.items(kind, lambda item: bool(item.get("to") == to)):
            if datetime.fromisoformat(str(item["at"])) < since:
                break
            text = str(item.get("text", ""))
            found = CODE.search(text)
            if found is not None and LINK.search(text) is None:
                return found.group(1)
        return None


def after_message(
    app_state: Any, channel: str, to: str, text: str, flash: bool, seconds_per_day: float
) -> None:
    """Lets the recipient of a delivered message open its portal link half a legal hour later."""
    # Who opens links is the world's rule; messages without a link (the codes) are ignored.
    if not world.opens_links(channel, to, flash=flash):
        return
    found = LINK.search(text)
    if found is None:
        return
    recipient = getattr(app_state, "recipient", None)
    if not isinstance(recipient, Recipient):
        log.warning("sandbox.recipient_missing", to=_masked(channel, to))
        return
    recipient.schedule(channel, to, found.group(0), world.CONFIRM_AFTER_DAYS * seconds_per_day)

"""The sandbox's SMTP server: records each e-mail like the HTTP gateway and posts its receipts."""

from __future__ import annotations

import asyncio
import logging
import ssl
import uuid
from dataclasses import replace
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any, cast

import structlog
from aiosmtpd.smtp import SMTP, Envelope, Session

from domain.pure.masking import mask_email
from domain.settings import Settings
from sandbox import channel_faults, recipient, world
from sandbox.notifier import Event, Notifier, OnOccur, now_iso
from sandbox.state import Item, Records

PROVIDER_SMTP = "smtp"
REFERENCE_HEADER = "X-Songda-Reference"
SECONDS_PER_DAY_HEADER = "X-Songda-Seconds-Per-Day"
HOSTNAME = "sandbox.songda"
BOUNCE_REASON = "550 mailbox unavailable"

log = structlog.get_logger(__name__)


def smtp_events(to: str, message_id: str) -> tuple[world.PlannedEvent, ...]:
    """Returns the receipts of an e-mail (world.email_events), a bounce with its DSN text."""
    dsn = (
        f"Reporting-MTA: dns; {HOSTNAME}\nAction: failed\nStatus: 5.1.1\n"
        f"Diagnostic-Code: smtp; {BOUNCE_REASON}\nOriginal-Message-ID: {message_id}"
    )
    bounce = {"reason": BOUNCE_REASON, "dsn": dsn}
    return tuple(
        replace(event, detail=bounce) if event.kind == "bounced" else event
        for event in world.email_events(to)
    )


def seconds_per_day(message: EmailMessage) -> float:
    """Returns the legal day's length the sender asked for, else a real day."""
    try:
        value = float(str(message.get(SECONDS_PER_DAY_HEADER, "")).strip())
    except ValueError:
        return world.REAL_SECONDS_PER_DAY
    return value if value > 0 else world.REAL_SECONDS_PER_DAY


def plain_text(message: EmailMessage) -> str:
    """Returns the text/plain body, or "" when there is none or it cannot be decoded."""
    body = message.get_body(preferencelist=("plain",))
    if body is None:
        return ""
    try:
        return str(body.get_content())
    except (LookupError, UnicodeError):
        return ""


class MailHandler:
    """aiosmtpd handler: accepts every recipient, records each message once, plans receipts."""

    def __init__(self, app_state: Any) -> None:
        self.app_state = app_state

    @property
    def records(self) -> Records:
        """Returns the sandbox's records."""
        return cast(Records, self.app_state.records)

    @property
    def notifier(self) -> Notifier:
        """Returns the sandbox's notifier."""
        return cast(Notifier, self.app_state.notifier)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        """Parses the message and accepts it for every recipient of the envelope."""
        if await channel_faults.refusal(self.records, "email") is not None:
            return "451 4.3.0 mail system unavailable, try again later"
        content = envelope.original_content or envelope.content or b""
        raw = content.encode() if isinstance(content, str) else content
        message = BytesParser(policy=policy.default).parsebytes(raw)
        for to in envelope.rcpt_tos:
            self.accept(message, to)
        return "250 OK: queued"

    def accept(self, message: EmailMessage, to: str) -> None:
        """Records the message for one recipient unless its Message-ID was seen for them."""
        message_id = str(message.get("Message-ID", "")).strip()
        message_id = message_id or f"<{uuid.uuid4().hex}@{HOSTNAME}>"
        # Receipts carry the sender's idempotency key back; without one, the Message-ID.
        reference = str(message.get(REFERENCE_HEADER, "")).strip() or message_id
        text = plain_text(message)

        def make() -> Item:
            return {
                "to": to,
                "subject": str(message.get("Subject", "")),
                "text": text,
                "reference": reference,
                "message_id": message_id,
                "at": now_iso(),
                "status": "sent",
                "events": [],
                "via": "smtp",
            }

        key = f"smtp {message_id} {to.lower()}"
        item, duplicate = self.records.add_once("email", key, make)
        if duplicate:
            log.info("sandbox.smtp_duplicate", to=mask_email(to))
            return
        pace = seconds_per_day(message)
        self.notifier.schedule(
            provider=PROVIDER_SMTP,
            reference=reference,
            seconds_per_day=pace,
            planned=smtp_events(to, message_id),
            detail={"message_id": message_id},
            on_occur=self._on_occur(item, pace),
        )
        log.info("sandbox.smtp_received", to=mask_email(to))

    def _on_occur(self, item: Item, pace: float) -> OnOccur:
        """Returns the hook that tracks the record and lets the recipient read a delivery."""

        def occur(event: Event) -> None:
            def change(stored: Item) -> None:
                if stored["to"] != item["to"]:
                    return  # another recipient of the same message
                stored["status"] = event["kind"]
                stored["events"].append({k: event[k] for k in ("kind", "occurred_at", "detail")})

            self.records.update("email", "message_id", item["message_id"], change)
            if event["kind"] == "delivered":
                recipient.after_message(
                    self.app_state, "email", item["to"], item["text"], False, pace
                )

        return occur


class SmtpServer:
    """An SMTP listener on the running event loop, so its handler shares the app's notifier."""

    def __init__(
        self, handler: MailHandler, host: str, port: int, tls: ssl.SSLContext | None = None
    ) -> None:
        self.handler = handler
        self.host = host
        self.port = port
        self.tls = tls
        self._server: asyncio.Server | None = None

    def _protocol(self) -> SMTP:
        return SMTP(
            self.handler,
            hostname=HOSTNAME,
            ident="songda sandbox SMTP",
            tls_context=self.tls,
            enable_SMTPUTF8=True,
            loop=asyncio.get_running_loop(),
        )

    async def start(self) -> bool:
        """Listens on host:port; tells whether it could (a taken port is logged, not fatal)."""
        # aiosmtpd logs every sender and recipient in full at INFO: keep addresses out of logs.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        loop = asyncio.get_running_loop()
        try:
            self._server = await loop.create_server(self._protocol, self.host, self.port)
        except OSError as error:
            # The HTTP gateways still work; e-mail over SMTP fails visibly on the sender's side.
            log.error("sandbox.smtp_not_listening", port=self.port, error=type(error).__name__)
            return False
        log.info("sandbox.smtp_listening", host=self.host, port=self.port)
        return True

    async def aclose(self) -> None:
        """Stops listening."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None


async def start_smtp_server(
    app_state: Any, settings: Settings, tls: ssl.SSLContext | None = None
) -> SmtpServer:
    """Starts the sandbox's SMTP server on 127.0.0.1:settings.smtp_port."""
    server = SmtpServer(MailHandler(app_state), "127.0.0.1", settings.smtp_port, tls)
    await server.start()
    return server

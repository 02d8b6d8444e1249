"""The sandbox's SMSC: SMPP 3.4 over TCP, with the HTTP gateway's scenarios and SMS records.

SMPP carries no legal clock, so the SMSC runs at `seconds_per_day` real seconds per legal day
(SECONDS_PER_DAY unless the constructor says otherwise): receipts come RECEIPT_AFTER_DAYS legal
days after a message's last part, and the simulated recipient reads at that pace too.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import uuid
from datetime import datetime
from typing import Any, cast

import structlog

from domain.pure.clock import BEIJING
from domain.pure.masking import mask_phone
from domain.settings import Settings
from sandbox import recipient, world
from sandbox import smpp_pdu as smpp
from sandbox.notifier import now_iso
from sandbox.smpp_messages import Part, Reassembler, receipt, sms_item, wants_receipt
from sandbox.smpp_sessions import Session, Sessions
from sandbox.state import Item, Records

SECONDS_PER_DAY = 1.0
SMSC_SYSTEM_ID = "songda-sandbox"

log = structlog.get_logger(__name__)


class SmsCenter:
    """Listens for ESMEs, reassembles, records, and delivers receipts (stored until bound)."""

    def __init__(
        self,
        app_state: Any,
        settings: Settings,
        host: str = "127.0.0.1",
        port: int | None = None,
        seconds_per_day: float = SECONDS_PER_DAY,
    ) -> None:
        self.app_state = app_state
        self.settings = settings
        self.host = host
        self.port = settings.smpp_port if port is None else port
        self.seconds_per_day = seconds_per_day
        self._server: asyncio.Server | None = None
        self._sessions = Sessions()
        self._parts = Reassembler()
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def records(self) -> Records:
        """Returns the sandbox's records."""
        return cast(Records, self.app_state.records)

    async def start(self) -> bool:
        """Listens on host:port; tells whether it could (a taken port is logged, not fatal)."""
        try:
            self._server = await asyncio.start_server(self._serve, self.host, self.port)
        except OSError as error:
            # The HTTP gateway still works; SMPP senders fail visibly on their side.
            log.error("sandbox.smpp_not_listening", port=self.port, error=type(error).__name__)
            return False
        self.port = int(self._server.sockets[0].getsockname()[1])
        log.info("sandbox.smpp_listening", host=self.host, port=self.port)
        return True

    async def aclose(self) -> None:
        """Stops listening, drops every session and the receipts not yet due."""
        if self._server is not None:
            self._server.close()
        self._sessions.close_all()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = self._sessions.open(writer)
        try:
            while (pdu := await self._read(reader, session)) is not None:
                if not self._handle(session, pdu):
                    break
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the ESME went away; its unanswered receipts are kept below
        finally:
            writer.close()
            self._sessions.close(session)
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _read(self, reader: asyncio.StreamReader, session: Session) -> smpp.Pdu | None:
        head = await reader.readexactly(smpp.HEADER.size)
        length, _, _, sequence = smpp.HEADER.unpack(head)
        if not smpp.HEADER.size <= length <= smpp.MAX_PDU_BYTES:
            session.send(smpp.Pdu(smpp.GENERIC_NACK, smpp.ESME_RINVCMDLEN, sequence))
            return None  # the stream cannot be trusted any more
        return smpp.Pdu.decode(head + await reader.readexactly(length - smpp.HEADER.size))

    def _handle(self, session: Session, pdu: smpp.Pdu) -> bool:
        """Answers one PDU; False ends the session."""
        command, answer = pdu.command_id, pdu.command_id | smpp.RESPONSE
        if command in smpp.BIND_MODES:
            self._bind(session, pdu)
        elif command in (smpp.ENQUIRE_LINK, smpp.UNBIND):
            session.send(smpp.Pdu(answer, smpp.ESME_ROK, pdu.sequence))
            return command != smpp.UNBIND
        elif command == smpp.SUBMIT_SM:
            self._submit(session, pdu)
        elif command == smpp.DELIVER_SM | smpp.RESPONSE:
            self._sessions.acknowledged(session, pdu)
        elif not command & smpp.RESPONSE:
            session.send(smpp.Pdu(smpp.GENERIC_NACK, smpp.ESME_RINVCMDID, pdu.sequence))
        # Other responses (enquire_link_resp, generic_nack) need nothing; an unanswered
        # receipt stays awaiting and is offered again when the ESME binds anew.
        return True

    def _bind(self, session: Session, pdu: smpp.Pdu) -> None:
        answer = pdu.command_id | smpp.RESPONSE
        if session.mode is not None:
            session.send(smpp.Pdu(answer, smpp.ESME_RALYBND, pdu.sequence))
            return
        try:
            bind = smpp.Bind.decode(pdu.body)
        except smpp.PduError:
            bind = smpp.Bind("", "")
        if not self._allowed(bind):
            log.warning("sandbox.smpp_bind_refused", system_id=bind.system_id)
            session.send(smpp.Pdu(answer, smpp.ESME_RBINDFAIL, pdu.sequence))
            return
        session.system_id, session.mode = bind.system_id, smpp.BIND_MODES[pdu.command_id]
        session.send(smpp.Pdu(answer, smpp.ESME_ROK, pdu.sequence, smpp.cstring(SMSC_SYSTEM_ID)))
        log.info("sandbox.smpp_bound", system_id=bind.system_id, mode=session.mode)
        self._sessions.deliver(bind.system_id)

    def _allowed(self, bind: smpp.Bind) -> bool:
        given = f"{bind.system_id}\0{bind.password}".encode()
        wanted = f"{self.settings.smpp_system_id}\0{self.settings.smpp_password}".encode()
        return secrets.compare_digest(given, wanted)

    def _submit(self, session: Session, pdu: smpp.Pdu) -> None:
        answer = smpp.SUBMIT_SM | smpp.RESPONSE
        if session.system_id is None or session.mode == "receiver":
            session.send(smpp.Pdu(answer, smpp.ESME_RINVBNDSTS, pdu.sequence))
            return
        try:
            message = smpp.ShortMessage.decode(pdu.body)
            segment, data = smpp.split_udh(message)
        except smpp.PduError:
            session.send(smpp.Pdu(answer, smpp.ESME_RINVMSGLEN, pdu.sequence))
            return
        to = message.destination_addr
        if world.sms_gateway_down(to):
            self.records.add("sms_refused", {"to": to, "at": now_iso(), "via": "smpp"})
            log.warning("sandbox.sms_refused", to=mask_phone(to), via="smpp")
            session.send(smpp.Pdu(answer, smpp.ESME_RSYSERR, pdu.sequence))
            return
        part = Part(uuid.uuid4().hex[:20], data, message)
        # Stored before it is acknowledged, as an SMSC does.
        whole = self._parts.add(session.system_id, segment, part)
        if whole is not None:
            self._complete(session.system_id, whole)
        session.send(smpp.Pdu(answer, smpp.ESME_ROK, pdu.sequence, smpp.cstring(part.message_id)))

    def _complete(self, system_id: str, parts: list[Part]) -> None:
        """Records a whole message like the HTTP gateway does and plans its receipts."""
        item = sms_item(parts)
        self.records.add("sms", item)
        log.info("sandbox.sms_sent", to=mask_phone(item["to"]), parts=len(parts), via="smpp")
        task = asyncio.create_task(self._report(system_id, item, parts))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _report(self, system_id: str, item: Item, parts: list[Part]) -> None:
        """Delivers the receipts of every part when due, then lets the recipient read."""
        planned = world.sms_events(item["to"], flash=item["flash"])[0]
        await asyncio.sleep(planned.after_days * self.seconds_per_day)
        delivered, done = planned.kind == "delivered", datetime.now(BEIJING)
        submitted = datetime.fromisoformat(item["at"])
        reports = [
            receipt(part, delivered, submitted, done)
            for part in parts
            if wants_receipt(part.message.registered_delivery, delivered)
        ]
        self._sessions.queue(system_id, reports)
        detail = {"message_id": item["message_id"], **planned.detail}
        event = {"kind": planned.kind, "occurred_at": done.isoformat(), "detail": detail}

        def change(stored: Item) -> None:
            stored["status"] = planned.kind
            stored["events"].append(event)

        self.records.update("sms", "message_id", item["message_id"], change)
        if delivered and not item["flash"]:
            pace = self.seconds_per_day
            recipient.after_message(self.app_state, "sms", item["to"], item["text"], False, pace)


async def start_smsc(app_state: Any, settings: Settings) -> SmsCenter:
    """Starts the sandbox's SMSC on 127.0.0.1:settings.smpp_port."""
    center = SmsCenter(app_state, settings)
    await center.start()
    return center

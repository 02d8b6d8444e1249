"""SMS over SMPP 3.4: UCS-2 text (flash as class 0), long texts in concatenated parts."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from activities.channels.sms.base import (
    ProviderRejected,
    ProviderUnavailable,
    SmsMessage,
    SmsSubmitted,
)
from activities.channels.sms.messages import remember_message_ids
from activities.channels.sms.smpp_forwarder import ReceiptForwarder
from activities.channels.sms.smpp_link import SmppEndpoint, SmppLink, SmppLinkDown
from activities.channels.sms.smpp_receipts import PROVIDER
from domain.pure.masking import mask_phone
from domain.settings import Settings
from domain.tables.core import ProviderMessage

UCS2 = 0x08
UCS2_FLASH = 0x18  # UCS-2 in message class 0; 0x10 would be GSM-7, which has no Chinese
ESM_UDHI = 0x40
REGISTERED_DELIVERY = 0x01  # a receipt whether the message was delivered or not
SINGLE_UNITS = 70
PART_UNITS = 67
MAX_PARTS = 255
DEST_TON, DEST_NPI = 0x00, 0x01  # national mobile numbers, E.164 plan
# Refusals a retry cannot change. Everything else (0x08 system error, 0x14 queue full,
# 0x58 throttling, a lost link) is worth trying again, here or at the next provider.
PERMANENT = {
    0x01: "invalid message length",
    0x0A: "invalid source address",
    0x0B: "invalid destination address",
    0x43: "invalid esm_class",
    0x48: "invalid source address type",
    0x49: "invalid source numbering plan",
    0x50: "invalid destination address type",
    0x51: "invalid destination numbering plan",
    0x66: "message rejected",
}

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Part:
    """One submit_sm's user data and the esm_class that says whether it starts with a UDH."""

    esm_class: int
    short_message: bytes


def concat_reference(reference: str) -> int:
    """Returns a send's 8-bit concatenation reference, the same on every retry of it."""
    return hashlib.sha256(reference.encode()).digest()[0]


def ucs2_parts(text: str, concat_ref: int) -> list[Part]:
    """Splits text into UCS-2 parts: one up to 70 characters, else 67 a part behind a UDH."""
    data = text.encode("utf-16-be")
    if len(data) <= SINGLE_UNITS * 2:
        return [Part(0, data)]
    chunks: list[bytes] = []
    start = 0
    while start < len(data):
        end = min(start + PART_UNITS * 2, len(data))
        if end < len(data) and 0xD8 <= data[end - 2] <= 0xDB:
            end -= 2  # never split a surrogate pair (a rare name character) across parts
        chunks.append(data[start:end])
        start = end
    if len(chunks) > MAX_PARTS:
        raise ProviderRejected(f"the text needs more than {MAX_PARTS} SMS parts: shorten it")
    # The 8-bit concatenation header (IEI 0x00) that smpplib.gsm.make_parts writes too.
    header = bytes([0x05, 0x00, 0x03, concat_ref, len(chunks)])
    return [Part(ESM_UDHI, header + bytes([n]) + c) for n, c in enumerate(chunks, start=1)]


def address_type(address: str) -> tuple[int, int]:
    """Returns (TON, NPI) of a source address: digits as unknown/E.164, else alphanumeric."""
    return (0x00, 0x01) if address.isdigit() else (0x05, 0x00)


class SmppProvider:
    """Sends over one kept SMPP bind; ProviderMessage rows make a repeated reference a no-op."""

    name = PROVIDER

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        endpoint: SmppEndpoint,
        forwarder: ReceiptForwarder,
        source_addr: str,
        timeout: float = 10.0,
        keepalive: float = 30.0,
    ) -> None:
        self.session_factory = session_factory
        self.forwarder = forwarder
        self.source_addr = source_addr
        self.link = SmppLink(endpoint, forwarder.submit, timeout=timeout, keepalive=keepalive)
        self._lock = threading.Lock()

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        session_factory: sessionmaker[Session],
        source_addr: str | None = None,
    ) -> SmppProvider:
        """Returns a started provider on the configured SMSC, forwarding receipts to the API."""
        endpoint = SmppEndpoint(
            settings.smpp_host, settings.smpp_port, settings.smpp_system_id, settings.smpp_password
        )
        forwarder = ReceiptForwarder.from_settings(settings, session_factory)
        provider = cls(session_factory, endpoint, forwarder, source_addr or settings.smpp_system_id)
        provider.start()
        return provider

    def start(self) -> None:
        """Starts forwarding receipts and binding (in the background, re-binding on failure)."""
        self.forwarder.start()
        self.link.start()

    def close(self) -> None:
        """Unbinds and stops forwarding."""
        self.link.close()
        self.forwarder.close()

    def send(self, message: SmsMessage) -> SmsSubmitted:
        """Submits every part, raising ProviderUnavailable or ProviderRejected."""
        # SMPP has no field for the request's clock: message.seconds_per_day is not sent.
        parts = ucs2_parts(message.text, concat_reference(message.reference))
        coding = UCS2_FLASH if message.flash else UCS2
        # One send at a time: smpplib is not thread-safe, and the duplicate check and the
        # submits of one reference must not interleave with another try of it.
        with self._lock:
            known = self._known(message.reference)
            if known:
                return SmsSubmitted(self.name, known, parts=len(known), duplicate=True)
            # A part failing after others went out fails the send; the retry resends them all
            # with the same concatenation reference, so the handset still sees one message.
            ids = [self._submit(message.to, part, coding) for part in parts]
            remember_message_ids(self.session_factory, self.name, message.reference, ids)
        log.info("smpp.sent", to=mask_phone(message.to), parts=len(ids), flash=message.flash)
        return SmsSubmitted(self.name, ids, parts=len(ids))

    def _known(self, reference: str) -> list[str]:
        with self.session_factory() as session:
            query = (
                select(ProviderMessage.message_id)
                .where(
                    ProviderMessage.provider == self.name, ProviderMessage.reference == reference
                )
                .order_by(ProviderMessage.part)
            )
            return list(session.scalars(query))

    def _submit(self, to: str, part: Part, coding: int) -> str:
        ton, npi = address_type(self.source_addr)
        try:
            answer = self.link.request(
                "submit_sm",
                source_addr_ton=ton,
                source_addr_npi=npi,
                source_addr=self.source_addr,
                dest_addr_ton=DEST_TON,
                dest_addr_npi=DEST_NPI,
                destination_addr=to,
                esm_class=part.esm_class,
                data_coding=coding,
                registered_delivery=REGISTERED_DELIVERY,
                short_message=part.short_message,
            )
        except SmppLinkDown as error:
            raise ProviderUnavailable(f"smpp: {error}") from None
        status = int(answer.status)
        if status == 0 and answer.command == "submit_sm_resp":
            return bytes(answer.message_id or b"").decode("ascii")
        if status in PERMANENT:
            raise ProviderRejected(
                f"the SMSC refused the message for good: {PERMANENT[status]} (0x{status:02X})"
            )
        raise ProviderUnavailable(f"the SMSC could not take the message now (0x{status:02X})")

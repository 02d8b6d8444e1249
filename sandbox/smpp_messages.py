"""What the SMSC does with accepted parts: alphabets, reassembly, the SMS record, receipts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.pure.clock import BEIJING
from sandbox import smpp_pdu as smpp
from sandbox.notifier import now_iso
from sandbox.state import Item

MESSAGE_STATE = {True: 2, False: 5}  # SMPP message_state: DELIVERED, UNDELIVERABLE


def is_ucs2(data_coding: int) -> bool:
    """Tells whether data_coding means UCS-2 (0x08, or the GSM class groups' UCS-2 alphabet)."""
    if data_coding < 0x10:
        return data_coding == 0x08
    return data_coding & 0xC0 == 0 and (data_coding >> 2) & 0x03 == 0x02


def message_class(data_coding: int) -> int | None:
    """Returns the GSM message class data_coding carries (0 is flash), or None."""
    has_class = data_coding & 0xD0 == 0x10 or data_coding & 0xF0 == 0xF0
    return data_coding & 0x03 if has_class else None


def decode_text(data_coding: int, data: bytes) -> str:
    """Decodes user data: UTF-16 big-endian for UCS-2, else latin-1 (SMSC default, IA5, 8-bit)."""
    if is_ucs2(data_coding):
        return data.decode("utf-16-be", errors="replace")
    return data.decode("latin-1")


@dataclass(frozen=True)
class Part:
    """One accepted submit_sm: its message id, its user data without UDH, and the PDU body."""

    message_id: str
    data: bytes
    message: smpp.ShortMessage


class Reassembler:
    """Keeps the parts of concatenated messages until each message is whole."""

    def __init__(self) -> None:
        self._parts: dict[tuple[str, str, str, int, int], dict[int, Part]] = {}

    def add(self, system_id: str, segment: smpp.Segment | None, part: Part) -> list[Part] | None:
        """Returns the message's parts in order once the last arrived, else None."""
        if segment is None:
            return [part]
        sent = part.message
        key = (system_id, sent.source_addr, sent.destination_addr, segment.reference, segment.total)
        parts = self._parts.setdefault(key, {})
        parts[segment.number] = part  # a resent part replaces the earlier copy
        if len(parts) < segment.total:
            return None
        del self._parts[key]
        return [parts[number] for number in sorted(parts)]


def sms_item(parts: list[Part]) -> Item:
    """Returns the SMS record of a whole message, shaped like the HTTP gateway's."""
    first = parts[0].message
    ids = [part.message_id for part in parts]
    return {
        "to": first.destination_addr,
        "text": decode_text(first.data_coding, b"".join(part.data for part in parts)),
        "flash": message_class(first.data_coding) == 0,
        # SMPP has no sender reference: the message ids stand in for it.
        "reference": ",".join(ids),
        "message_id": ids[0],
        "message_ids": ids,
        "parts": len(parts),
        "data_coding": first.data_coding,
        "at": now_iso(),
        "status": "sent",
        "events": [],
        "via": "smpp",
    }


def receipt_text(message_id: str, delivered: bool, submitted: datetime, done: datetime) -> str:
    """Returns the SMPP 3.4 (appendix B) receipt text; dates are Beijing time, YYMMDDhhmm."""
    stat, dlvrd, err = ("DELIVRD", "001", "000") if delivered else ("UNDELIV", "000", "001")
    sub, end = submitted.astimezone(BEIJING), done.astimezone(BEIJING)
    return (
        f"id:{message_id} sub:001 dlvrd:{dlvrd} submit date:{sub:%y%m%d%H%M} "
        f"done date:{end:%y%m%d%H%M} stat:{stat} err:{err} text:"
    )


def wants_receipt(registered_delivery: int, delivered: bool) -> bool:
    """Tells whether registered_delivery asks for this receipt (1 always, 2 on failure only)."""
    wanted = registered_delivery & 0x03
    return wanted == 1 or (wanted == 2 and not delivered)


def receipt(part: Part, delivered: bool, submitted: datetime, done: datetime) -> smpp.ShortMessage:
    """Returns the deliver_sm body reporting one part, from the handset back to the sender."""
    sent, text = part.message, receipt_text(part.message_id, delivered, submitted, done)
    return smpp.ShortMessage(
        source_addr=sent.destination_addr,
        destination_addr=sent.source_addr,
        short_message=text.encode("ascii"),
        esm_class=smpp.ESM_DELIVERY_RECEIPT,
        source_addr_ton=sent.dest_addr_ton,
        source_addr_npi=sent.dest_addr_npi,
        dest_addr_ton=sent.source_addr_ton,
        dest_addr_npi=sent.source_addr_npi,
        tlvs=(
            (smpp.TLV_RECEIPTED_MESSAGE_ID, smpp.cstring(part.message_id)),
            (smpp.TLV_MESSAGE_STATE, bytes([MESSAGE_STATE[delivered]])),
        ),
    )

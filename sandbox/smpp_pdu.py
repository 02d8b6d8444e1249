"""SMPP 3.4 PDUs for the sandbox's SMSC: the header, bind and short-message bodies, and UDH."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

HEADER = struct.Struct(">IIII")
MAX_PDU_BYTES = 64 * 1024
RESPONSE = 0x80000000

GENERIC_NACK = 0x80000000
BIND_RECEIVER = 0x00000001
BIND_TRANSMITTER = 0x00000002
SUBMIT_SM = 0x00000004
DELIVER_SM = 0x00000005
UNBIND = 0x00000006
BIND_TRANSCEIVER = 0x00000009
ENQUIRE_LINK = 0x00000015
BIND_MODES = {BIND_RECEIVER: "receiver", BIND_TRANSMITTER: "transmitter", BIND_TRANSCEIVER: "trx"}

ESME_ROK = 0x00
ESME_RINVMSGLEN = 0x01
ESME_RINVCMDLEN = 0x02
ESME_RINVCMDID = 0x03
ESME_RINVBNDSTS = 0x04
ESME_RALYBND = 0x05
ESME_RSYSERR = 0x08
ESME_RBINDFAIL = 0x0D

ESM_UDHI = 0x40
ESM_DELIVERY_RECEIPT = 0x04
TLV_RECEIPTED_MESSAGE_ID = 0x001E
TLV_SAR_MSG_REF_NUM = 0x020C
TLV_SAR_TOTAL_SEGMENTS = 0x020E
TLV_SAR_SEGMENT_SEQNUM = 0x020F
TLV_MESSAGE_PAYLOAD = 0x0424
TLV_MESSAGE_STATE = 0x0427


class PduError(ValueError):
    """A PDU body that does not follow SMPP 3.4."""


@dataclass(frozen=True)
class Pdu:
    """One PDU: command id, status, sequence number and the raw body."""

    command_id: int
    status: int
    sequence: int
    body: bytes = b""

    def encode(self) -> bytes:
        """Returns the PDU on the wire, length first."""
        length = HEADER.size + len(self.body)
        return HEADER.pack(length, self.command_id, self.status, self.sequence) + self.body

    @classmethod
    def decode(cls, data: bytes) -> Pdu:
        """Reads a whole PDU (header and body)."""
        if len(data) < HEADER.size:
            raise PduError("a PDU is at least 16 bytes")
        length, command_id, status, sequence = HEADER.unpack_from(data)
        if length != len(data):
            raise PduError(f"command_length {length} does not match {len(data)} bytes")
        return cls(command_id, status, sequence, data[HEADER.size :])


class _Reader:
    """Reads the fields of a PDU body in order."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.pos = 0

    def cstring(self) -> str:
        end = self.body.find(b"\0", self.pos)
        if end < 0:
            raise PduError("a C-octet string has no terminating NUL")
        value = self.body[self.pos : end].decode("latin-1")
        self.pos = end + 1
        return value

    def octets(self, size: int) -> bytes:
        if self.pos + size > len(self.body):
            raise PduError("the body ends inside a field")
        value = self.body[self.pos : self.pos + size]
        self.pos += size
        return value

    def byte(self) -> int:
        return self.octets(1)[0]

    def tlvs(self) -> tuple[tuple[int, bytes], ...]:
        found: list[tuple[int, bytes]] = []
        while self.pos < len(self.body):
            tag, size = struct.unpack(">HH", self.octets(4))
            found.append((tag, self.octets(size)))
        return tuple(found)


def cstring(value: str) -> bytes:
    """Returns value as a NUL-terminated C-octet string."""
    return value.encode("latin-1") + b"\0"


def tlv(tag: int, value: bytes) -> bytes:
    """Returns one optional parameter (tag, length, value)."""
    return struct.pack(">HH", tag, len(value)) + value


# Mandatory fields in wire order: "c" a C-octet string, "b" one octet.
Layout = tuple[tuple[str, str], ...]
BIND_LAYOUT: Layout = (
    ("system_id", "c"), ("password", "c"), ("system_type", "c"), ("interface_version", "b"),
    ("addr_ton", "b"), ("addr_npi", "b"), ("address_range", "c"),
)  # fmt: skip
SHORT_MESSAGE_LAYOUT: Layout = (
    ("service_type", "c"), ("source_addr_ton", "b"), ("source_addr_npi", "b"),
    ("source_addr", "c"), ("dest_addr_ton", "b"), ("dest_addr_npi", "b"),
    ("destination_addr", "c"), ("esm_class", "b"), ("protocol_id", "b"), ("priority_flag", "b"),
    ("schedule_delivery_time", "c"), ("validity_period", "c"), ("registered_delivery", "b"),
    ("replace_if_present_flag", "b"), ("data_coding", "b"), ("sm_default_msg_id", "b"),
)  # fmt: skip


def _encode_fields(obj: object, layout: Layout) -> bytes:
    return b"".join(
        cstring(getattr(obj, name)) if kind == "c" else bytes([getattr(obj, name)])
        for name, kind in layout
    )


def _decode_fields(reader: _Reader, layout: Layout) -> dict[str, Any]:
    return {name: reader.cstring() if kind == "c" else reader.byte() for name, kind in layout}


@dataclass(frozen=True)
class Bind:
    """The body of bind_transmitter, bind_receiver and bind_transceiver."""

    system_id: str
    password: str
    system_type: str = ""
    interface_version: int = 0x34
    addr_ton: int = 0
    addr_npi: int = 0
    address_range: str = ""

    def encode(self) -> bytes:
        """Returns the body's bytes."""
        return _encode_fields(self, BIND_LAYOUT)

    @classmethod
    def decode(cls, body: bytes) -> Bind:
        """Reads the body."""
        return cls(**_decode_fields(_Reader(body), BIND_LAYOUT))


@dataclass(frozen=True)
class ShortMessage:
    """The body shared by submit_sm and deliver_sm, optional parameters included."""

    source_addr: str
    destination_addr: str
    short_message: bytes = b""
    esm_class: int = 0
    data_coding: int = 0
    registered_delivery: int = 0
    service_type: str = ""
    source_addr_ton: int = 0
    source_addr_npi: int = 0
    dest_addr_ton: int = 0
    dest_addr_npi: int = 0
    protocol_id: int = 0
    priority_flag: int = 0
    schedule_delivery_time: str = ""
    validity_period: str = ""
    replace_if_present_flag: int = 0
    sm_default_msg_id: int = 0
    tlvs: tuple[tuple[int, bytes], ...] = ()

    def encode(self) -> bytes:
        """Returns the body's bytes."""
        if len(self.short_message) > 254:
            raise PduError("short_message holds at most 254 octets: use message_payload")
        options = b"".join(tlv(tag, value) for tag, value in self.tlvs)
        head = _encode_fields(self, SHORT_MESSAGE_LAYOUT)
        return head + bytes([len(self.short_message)]) + self.short_message + options

    @classmethod
    def decode(cls, body: bytes) -> ShortMessage:
        """Reads the body."""
        reader = _Reader(body)
        fields = _decode_fields(reader, SHORT_MESSAGE_LAYOUT)
        message = reader.octets(reader.byte())
        return cls(**fields, short_message=message, tlvs=reader.tlvs())

    def option(self, tag: int) -> bytes | None:
        """Returns the value of an optional parameter, or None."""
        return next((value for found, value in self.tlvs if found == tag), None)

    @property
    def payload(self) -> bytes:
        """Returns the user data: short_message, else the message_payload parameter."""
        return self.short_message or self.option(TLV_MESSAGE_PAYLOAD) or b""


@dataclass(frozen=True)
class Segment:
    """Where a part sits in a concatenated message."""

    reference: int
    total: int
    number: int


def split_udh(message: ShortMessage) -> tuple[Segment | None, bytes]:
    """Returns the concatenation segment (UDH 8/16-bit reference, or SAR options) and the text."""
    data = message.payload
    segment: Segment | None = None
    if message.esm_class & ESM_UDHI:
        if not data or data[0] + 1 > len(data):
            raise PduError("the user data header is longer than the message")
        header, data = data[1 : data[0] + 1], data[data[0] + 1 :]
        pos = 0
        while pos + 2 <= len(header):
            iei, size = header[pos], header[pos + 1]
            value = header[pos + 2 : pos + 2 + size]
            if iei == 0x00 and size == 3:
                segment = Segment(value[0], value[1], value[2])
            elif iei == 0x08 and size == 4:
                segment = Segment(int.from_bytes(value[:2], "big"), value[2], value[3])
            pos += 2 + size
    sar = [message.option(t) for t in (TLV_SAR_MSG_REF_NUM, TLV_SAR_TOTAL_SEGMENTS)]
    number = message.option(TLV_SAR_SEGMENT_SEQNUM)
    if segment is None and sar[0] and sar[1] and number:
        segment = Segment(int.from_bytes(sar[0], "big"), sar[1][0], number[0])
    if segment is not None and not 1 <= segment.number <= segment.total:
        raise PduError("a concatenated part's number is outside 1..total")
    return segment, data

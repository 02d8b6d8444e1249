"""The SMSC's PDU codec and the provider's UCS-2 parts, checked against each other and smpplib."""

from __future__ import annotations

import pytest
from smpplib import client as smpp_client
from smpplib import gsm
from smpplib import smpp as smpplib_pdus

from activities.channels.sms.smpp import ESM_UDHI, concat_reference, ucs2_parts
from sandbox import smpp_pdu as smpp
from sandbox.smpp_messages import decode_text, is_ucs2, message_class

LONG = ("本院受理的民间借贷纠纷一案向您送达传票及应诉通知书请点击链接查阅签收" * 5)[:150]


def test_pdu_bind_and_short_message_round_trip() -> None:
    bind = smpp.Bind("songda", "pw", "court", 0x34, 1, 1, "")
    pdu = smpp.Pdu(smpp.BIND_TRANSCEIVER, 0, 7, bind.encode())
    again = smpp.Pdu.decode(pdu.encode())
    assert again == pdu and smpp.Bind.decode(again.body) == bind
    message = smpp.ShortMessage(
        source_addr="12368",
        destination_addr="13800000002",
        short_message="早上好".encode("utf-16-be"),
        esm_class=0x40,
        data_coding=0x18,
        registered_delivery=1,
        validity_period="000001000000000R",
        tlvs=((smpp.TLV_SAR_MSG_REF_NUM, b"\x00\x07"), (smpp.TLV_MESSAGE_STATE, b"\x02")),
    )
    assert smpp.ShortMessage.decode(message.encode()) == message


def test_bad_pdus_are_refused() -> None:
    with pytest.raises(smpp.PduError):
        smpp.Pdu.decode(b"\x00\x00\x00\x20" + bytes(12))  # says 32 bytes, has 16
    with pytest.raises(smpp.PduError):
        smpp.ShortMessage.decode(b"\x00\x01\x01123")  # no NUL after the source address


def test_smpplib_submit_sm_decodes_and_our_deliver_sm_parses_in_smpplib() -> None:
    unconnected = smpp_client.Client("127.0.0.1", 2775, allow_unknown_opt_params=True)
    submitted = smpplib_pdus.make_pdu(
        "submit_sm",
        client=unconnected,
        source_addr="12368",
        destination_addr="13800000002",
        esm_class=0x40,
        data_coding=0x08,
        registered_delivery=1,
        short_message=b"\x05\x00\x03\x2a\x02\x01" + "您好".encode("utf-16-be"),
    )
    pdu = smpp.Pdu.decode(submitted.generate())
    message = smpp.ShortMessage.decode(pdu.body)
    assert (pdu.command_id, message.destination_addr, message.registered_delivery) == (
        smpp.SUBMIT_SM,
        "13800000002",
        1,
    )
    assert smpp.split_udh(message) == (smpp.Segment(0x2A, 2, 1), "您好".encode("utf-16-be"))
    receipt = smpp.ShortMessage(
        source_addr="13800000002",
        destination_addr="12368",
        short_message=b"id:abc stat:DELIVRD",
        esm_class=smpp.ESM_DELIVERY_RECEIPT,
        tlvs=((smpp.TLV_RECEIPTED_MESSAGE_ID, b"abc\0"), (smpp.TLV_MESSAGE_STATE, b"\x02")),
    )
    raw = smpp.Pdu(smpp.DELIVER_SM, 0, 9, receipt.encode()).encode()
    parsed = smpplib_pdus.parse_pdu(raw, client=unconnected, allow_unknown_opt_params=True)
    assert parsed.command == "deliver_sm" and parsed.sequence == 9
    assert parsed.short_message == b"id:abc stat:DELIVRD"
    assert parsed.receipted_message_id == b"abc" and parsed.message_state == 2


def test_udh_8_bit_16_bit_and_sar() -> None:
    def body(
        udh: bytes, esm: int = smpp.ESM_UDHI, tlvs: tuple[tuple[int, bytes], ...] = ()
    ) -> smpp.ShortMessage:
        return smpp.ShortMessage("1", "2", udh + b"\x00A", esm_class=esm, tlvs=tlvs)

    assert smpp.split_udh(body(b"\x05\x00\x03\x09\x03\x02")) == (smpp.Segment(9, 3, 2), b"\x00A")
    assert smpp.split_udh(body(b"\x06\x08\x04\x01\x02\x02\x01")) == (
        smpp.Segment(0x0102, 2, 1),
        b"\x00A",
    )
    sar = ((0x020C, b"\x00\x05"), (0x020E, b"\x02"), (0x020F, b"\x02"))
    assert smpp.split_udh(body(b"", esm=0, tlvs=sar)) == (smpp.Segment(5, 2, 2), b"\x00A")
    assert smpp.split_udh(body(b"", esm=0)) == (None, b"\x00A")
    with pytest.raises(smpp.PduError):
        smpp.split_udh(body(b"\x05\x00\x03\x09\x03\x04"))  # part 4 of 3


def test_alphabets_and_flash() -> None:
    assert is_ucs2(0x08) and is_ucs2(0x18) and not is_ucs2(0x00) and not is_ucs2(0x10)
    assert message_class(0x18) == 0 and message_class(0xF0) == 0
    assert message_class(0x08) is None and message_class(0x19) == 1
    assert decode_text(0x18, "闪信".encode("utf-16-be")) == "闪信"
    assert decode_text(0x00, b"Hello") == "Hello"


def test_short_text_is_one_part_without_udh() -> None:
    assert ucs2_parts("字" * 70, 1) == [ucs2_parts("字" * 70, 1)[0]]
    [part] = ucs2_parts("字" * 70, 1)
    assert part.esm_class == 0 and part.short_message == ("字" * 70).encode("utf-16-be")
    assert len(ucs2_parts("字" * 71, 1)) == 2


def test_long_text_parts_match_smpplib_and_share_one_reference() -> None:
    reference = concat_reference("task:electronic:1:phone0submitted")
    assert reference == concat_reference("task:electronic:1:phone0submitted")
    parts = ucs2_parts(LONG, reference)
    assert len(parts) == 3 and all(p.esm_class == ESM_UDHI for p in parts)
    headers = [p.short_message[:6] for p in parts]
    assert headers == [bytes([5, 0, 3, reference, 3, n]) for n in (1, 2, 3)]
    assert all(len(p.short_message[6:]) <= 67 * 2 for p in parts)
    assert b"".join(p.short_message[6:] for p in parts).decode("utf-16-be") == LONG
    theirs, coding, esm = gsm.make_parts(LONG, encoding=0x08)
    assert (coding, esm, len(theirs)) == (0x08, ESM_UDHI, 3)
    assert len({part[3] for part in theirs}) == 1  # one reference for every part
    assert [p[:3] + p[4:] for p in theirs] == [
        p.short_message[:3] + p.short_message[4:] for p in parts
    ]


def test_a_surrogate_pair_is_never_split_across_parts() -> None:
    text = "字" * 66 + "𠀀" + "字" * 10  # the rare character straddles the 67-unit boundary
    parts = ucs2_parts(text, 7)
    assert [len(p.short_message[6:]) // 2 for p in parts] == [66, 12]
    assert "".join(p.short_message[6:].decode("utf-16-be") for p in parts) == text

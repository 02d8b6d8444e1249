"""The sandbox's SMSC over raw PDUs: concatenation, commands, and store-and-forward receipts."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from activities.channels.sms.base import SmsMessage
from sandbox import smpp_pdu as smpp
from tests.sandbox.support import Receiver, free_port
from tests.smpp.conftest import make_provider, smpp_settings
from tests.smpp.support import RawEsme, SmscThread, eventually

SECONDS_PER_DAY = 10.0  # receipts 0.2 s after the last part


@pytest.fixture
def smsc(smpp_receiver: Receiver) -> Iterator[SmscThread]:
    """A standalone SMSC on a free port."""
    port = free_port()
    center = SmscThread(smpp_settings(smpp_receiver.port, port), port, SECONDS_PER_DAY).start()
    yield center
    center.stop()


@pytest.fixture
def esme(smsc: SmscThread) -> Iterator[RawEsme]:
    """A raw ESME connected, not yet bound."""
    client = RawEsme(smsc.port)
    yield client
    client.close()


def submit(to: str, text: str, udh: bytes = b"", registered: int = 1) -> bytes:
    """Returns a UCS-2 submit_sm body, with a UDH when given."""
    return smpp.ShortMessage(
        source_addr="12368",
        destination_addr=to,
        short_message=udh + text.encode("utf-16-be"),
        esm_class=smpp.ESM_UDHI if udh else 0,
        data_coding=0x08,
        registered_delivery=registered,
    ).encode()


def test_commands_before_and_after_bind(esme: RawEsme) -> None:
    esme.send(smpp.SUBMIT_SM, submit("13800000002", "早"))
    assert esme.read().status == smpp.ESME_RINVBNDSTS
    esme.send(smpp.ENQUIRE_LINK)
    assert esme.read().command_id == smpp.ENQUIRE_LINK | smpp.RESPONSE
    esme.send(0x00000103)  # data_sm: not offered by this SMSC
    nack = esme.read()
    assert (nack.command_id, nack.status) == (smpp.GENERIC_NACK, smpp.ESME_RINVCMDID)
    assert esme.bind().status == smpp.ESME_ROK
    assert esme.bind().status == smpp.ESME_RALYBND
    esme.send(smpp.UNBIND)
    assert esme.read().command_id == smpp.UNBIND | smpp.RESPONSE
    with pytest.raises(ConnectionError):
        esme.read()


def test_parts_with_a_16_bit_reference_are_reassembled_in_order(
    smsc: SmscThread, esme: RawEsme
) -> None:
    esme.bind()
    for number, text in ((2, "第二部分"), (1, "第一部分，")):
        udh = bytes([0x06, 0x08, 0x04, 0x12, 0x34, 0x02, number])
        esme.send(smpp.SUBMIT_SM, submit("13800000002", text, udh, registered=0))
        assert esme.read().status == smpp.ESME_ROK
    [item] = smsc.records.items("sms")
    assert item["text"] == "第一部分，第二部分" and item["parts"] == 2


def test_receipts_wait_for_a_bound_receiver_and_are_offered_until_answered(
    smsc: SmscThread, esme: RawEsme
) -> None:
    esme.bind()
    esme.send(smpp.SUBMIT_SM, submit("13800000002", "请查收"))
    message_id = esme.read().body.rstrip(b"\0").decode()
    esme.close()  # gone before the receipt is due
    eventually(lambda: smsc.records.items("sms")[0]["status"] == "delivered")
    unanswering = RawEsme(smsc.port)
    unanswering.bind()
    first_offer = smpp.ShortMessage.decode(unanswering.read().body)
    unanswering.close()  # never answered: the SMSC must keep the receipt
    patient = RawEsme(smsc.port)
    patient.bind()
    offer = patient.read()
    receipt = smpp.ShortMessage.decode(offer.body)
    assert receipt == first_offer and receipt.esm_class == smpp.ESM_DELIVERY_RECEIPT
    assert receipt.short_message.decode().startswith(f"id:{message_id} ")
    assert b"stat:DELIVRD" in receipt.short_message
    assert receipt.option(smpp.TLV_RECEIPTED_MESSAGE_ID) == message_id.encode() + b"\0"
    patient.answer(offer)
    patient.close()
    last = RawEsme(smsc.port)
    last.bind()
    last.sock.settimeout(0.3)
    with pytest.raises(socket.timeout):
        last.read()  # answered once: never offered again
    last.close()


def test_receipts_reach_a_provider_that_binds_again_later(
    smsc: SmscThread, receiver: Receiver, sessions: sessionmaker[Session]
) -> None:
    gone = make_provider(sessions, smsc.port, receiver.port)
    gone.send(SmsMessage(to="13800000002", text="请查收", reference="smpp-stored"))
    gone.close()  # unbinds before the receipt is due (0.2 s)
    eventually(lambda: smsc.records.items("sms")[0]["status"] == "delivered")
    assert receiver.of("smpp-stored") == []
    back = make_provider(sessions, smsc.port, receiver.port)
    try:
        eventually(lambda: [e["kind"] for e in receiver.of("smpp-stored")] == ["delivered"])
    finally:
        back.close()

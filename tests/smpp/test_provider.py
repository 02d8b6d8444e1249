"""SmppProvider against the sandbox's SMSC: parts, flash, scenarios, idempotency, re-binding."""

from __future__ import annotations

import time
from datetime import datetime

import httpx
import pytest
from smpplib import client as smpp_client
from smpplib import exceptions as smpp_errors
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from activities.channels.sms.base import ProviderUnavailable, SmsMessage
from activities.channels.sms.smpp import SmppProvider
from activities.channels.sms.smpp_forwarder import ReceiptForwarder
from activities.channels.sms.smpp_link import SmppEndpoint
from domain.tables.core import ProviderMessage
from tests.sandbox.support import Receiver
from tests.smpp.conftest import Sandbox, make_provider
from tests.smpp.support import SYSTEM_ID, SilentSmsc, eventually

SHORT = "【天津市河西区人民法院】张*，您好：本院向您送达《传票》，请查收。"
LONG = ("本院受理的民间借贷纠纷一案向您送达传票及应诉通知书请点击链接查阅签收" * 5)[:150]


def parts_of(sessions: sessionmaker[Session], reference: str) -> list[tuple[int, str]]:
    """Returns the stored (part, message id) rows of a reference."""
    with sessions() as session:
        rows = session.execute(
            select(ProviderMessage.part, ProviderMessage.message_id)
            .where(ProviderMessage.provider == "smpp", ProviderMessage.reference == reference)
            .order_by(ProviderMessage.part)
        )
        return [(int(part), str(message_id)) for part, message_id in rows]


def test_bind_with_a_wrong_password_fails(
    sandbox: Sandbox, sessions: sessionmaker[Session]
) -> None:
    client = smpp_client.Client("127.0.0.1", sandbox.smpp_port, allow_unknown_opt_params=True)
    client.connect()
    try:
        with pytest.raises(smpp_errors.PDUError) as refused:
            client.bind_transceiver(system_id=SYSTEM_ID, password="wrong")
        assert refused.value.args[1] == 0x0D  # ESME_RBINDFAIL
    finally:
        client.disconnect()
    provider = make_provider(sessions, sandbox.smpp_port, 9, password="wrong")
    try:
        with pytest.raises(ProviderUnavailable, match="refused the bind"):
            provider.send(SmsMessage(to="13800000002", text=SHORT, reference="bad-bind"))
    finally:
        provider.close()
    assert sandbox.sms("13800000002") == []


def test_short_chinese_message_is_one_ucs2_part_and_delivered(
    provider: SmppProvider, sandbox: Sandbox, receiver: Receiver, sessions: sessionmaker[Session]
) -> None:
    submitted = provider.send(SmsMessage(to="13800000002", text=SHORT, reference="smpp-short"))
    assert (submitted.provider, submitted.parts, submitted.duplicate) == ("smpp", 1, False)
    [item] = sandbox.sms("13800000002")
    assert item["text"] == SHORT and item["data_coding"] == 0x08 and item["flash"] is False
    assert item["message_ids"] == submitted.message_ids
    assert parts_of(sessions, "smpp-short") == [(1, submitted.message_ids[0])]
    eventually(lambda: len(receiver.of("smpp-short")) == 1)
    [event] = receiver.of("smpp-short")
    assert receiver.providers("smpp-short") == ["smpp"]
    assert event["kind"] == "delivered"
    assert event["detail"]["message_id"] == submitted.message_ids[0]
    assert event["detail"]["stat"] == "DELIVRD" and event["detail"]["err"] == "000"
    assert event["detail"]["raw"].startswith(f"id:{submitted.message_ids[0]} sub:001 dlvrd:001")
    assert datetime.fromisoformat(event["occurred_at"]).utcoffset().total_seconds() == 8 * 3600
    eventually(lambda: sandbox.sms("13800000002")[0]["status"] == "delivered")


def test_long_message_goes_in_three_parts_and_is_reassembled(
    provider: SmppProvider, sandbox: Sandbox, receiver: Receiver, sessions: sessionmaker[Session]
) -> None:
    assert len(LONG) == 150
    submitted = provider.send(SmsMessage(to="13800000004", text=LONG, reference="smpp-long"))
    assert submitted.parts == 3 and len(set(submitted.message_ids)) == 3
    [item] = sandbox.sms("13800000004")
    assert item["text"] == LONG and item["parts"] == 3
    assert item["message_ids"] == submitted.message_ids
    assert parts_of(sessions, "smpp-long") == list(enumerate(submitted.message_ids, start=1))
    # Every part's receipt is reported, numbered: the message reached the party only when all
    # of them did (issue 12, item 11).
    eventually(lambda: len(receiver.of("smpp-long")) == 3)
    eventually(lambda: provider.forwarder.pending == 0)
    events = receiver.of("smpp-long")
    assert {e["kind"] for e in events} == {"delivered"}
    reported = sorted((e["detail"]["part"], e["detail"]["message_id"]) for e in events)
    assert reported == [(str(n), m) for n, m in enumerate(submitted.message_ids, start=1)]
    assert {e["detail"]["parts"] for e in events} == {"3"}


def test_flash_sms_is_ucs2_class_0(
    provider: SmppProvider, sandbox: Sandbox, receiver: Receiver
) -> None:
    message = SmsMessage(
        to="13800000003", text="请查收法院短信", reference="smpp-flash", flash=True
    )
    provider.send(message)
    [item] = sandbox.sms("13800000003")
    assert item["flash"] is True and item["data_coding"] == 0x18
    assert item["text"] == "请查收法院短信"
    eventually(lambda: [e["kind"] for e in receiver.of("smpp-flash")] == ["delivered"])


def test_number_ending_in_0_is_undeliverable(
    provider: SmppProvider, sandbox: Sandbox, receiver: Receiver
) -> None:
    provider.send(SmsMessage(to="13800000000", text=SHORT, reference="smpp-dead"))
    eventually(lambda: len(receiver.of("smpp-dead")) == 1)
    [event] = receiver.of("smpp-dead")
    assert event["kind"] == "undeliverable" and event["detail"]["stat"] == "UNDELIV"
    assert sandbox.sms("13800000000")[0]["status"] == "undeliverable"


def test_number_ending_in_9_is_unavailable_and_nothing_is_recorded(
    provider: SmppProvider, sandbox: Sandbox, sessions: sessionmaker[Session]
) -> None:
    for _ in range(2):
        with pytest.raises(ProviderUnavailable, match="0x08"):
            provider.send(SmsMessage(to="13800000009", text=LONG, reference="smpp-down"))
    assert sandbox.sms("13800000009") == []
    assert len(sandbox.sms("13800000009", kind="sms/refused")) == 2
    assert parts_of(sessions, "smpp-down") == []
    assert provider.link.bound  # a refusal is an answer, not a broken link


def test_same_reference_twice_sends_once(
    provider: SmppProvider, sandbox: Sandbox, receiver: Receiver
) -> None:
    message = SmsMessage(to="13800000005", text=LONG, reference="smpp-twice")
    first = provider.send(message)
    second = provider.send(message)
    assert second.duplicate and second.message_ids == first.message_ids and second.parts == 3
    assert len(sandbox.sms("13800000005")) == 1
    eventually(lambda: len(receiver.of("smpp-twice")) == 3)  # one receipt a part, sent once


def test_provider_rebinds_after_the_smsc_restarts(
    provider: SmppProvider, sandbox: Sandbox, receiver: Receiver
) -> None:
    provider.send(SmsMessage(to="13800000006", text=SHORT, reference="smpp-before"))
    eventually(lambda: len(receiver.of("smpp-before")) == 1)
    sandbox.stop()
    eventually(lambda: not provider.link.bound)
    with pytest.raises(ProviderUnavailable):
        provider.send(SmsMessage(to="13800000006", text=SHORT, reference="smpp-while-down"))
    sandbox.start()
    submitted = provider.send(SmsMessage(to="13800000006", text=SHORT, reference="smpp-after"))
    assert not submitted.duplicate
    assert [item["message_id"] for item in sandbox.sms("13800000006")] == submitted.message_ids
    eventually(lambda: [e["kind"] for e in receiver.of("smpp-after")] == ["delivered"])


def test_receipts_are_retried_until_the_api_takes_them(
    provider: SmppProvider, receiver: Receiver
) -> None:
    receiver.fail_next = 2
    provider.send(SmsMessage(to="13800000007", text=SHORT, reference="smpp-retried"))
    eventually(lambda: len(receiver.of("smpp-retried")) == 1)
    assert receiver.failed == 2


def test_a_silent_smsc_never_blocks_a_send(sessions: sessionmaker[Session]) -> None:
    silent = SilentSmsc().start()
    forwarder = ReceiptForwarder(sessions, httpx.Client(), "http://127.0.0.1:9", "secret")
    endpoint = SmppEndpoint("127.0.0.1", silent.port, SYSTEM_ID, "pw")
    provider = SmppProvider(sessions, endpoint, forwarder, "12368", timeout=0.3, keepalive=0.2)
    try:
        started = time.monotonic()
        with pytest.raises(ProviderUnavailable, match="did not answer submit_sm"):
            provider.send(SmsMessage(to="13800000002", text=SHORT, reference="smpp-silent"))
        assert time.monotonic() - started < 2.0
        # The reader re-binds; with no enquire_link_resp it drops that bind and binds anew.
        eventually(lambda: len(silent.connections) >= 3, timeout=3.0)
    finally:
        provider.link.timeout = 0.1  # the polite unbind gets no answer either
        provider.close()
        forwarder.http.close()
        silent.stop()

"""The receipt forwarder: matching by message id, waiting for the send's rows, draining on close."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session, sessionmaker

from activities.channels.sms.messages import remember_message_ids
from activities.channels.sms.smpp_forwarder import ReceiptForwarder
from tests.sandbox.support import SECRET, Receiver
from tests.smpp.support import eventually

DELIVERED = (
    "id:{} sub:001 dlvrd:001 submit date:2609221528 done date:2609221530 stat:DELIVRD err:000 text:"
)


def forwarder_for(sessions: sessionmaker[Session], receiver: Receiver) -> ReceiptForwarder:
    """Returns a started forwarder with quick retries."""
    made = ReceiptForwarder(
        sessions, httpx.Client(timeout=5), f"http://127.0.0.1:{receiver.port}", SECRET, 0.02, 0.1
    )
    made.start()
    return made


def test_a_receipt_waits_for_its_send_to_be_stored(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    forwarder = forwarder_for(sessions, receiver)
    try:
        forwarder.submit(DELIVERED.format("early-1"))
        eventually(lambda: forwarder.pending == 1)
        assert receiver.of("smpp-early") == []
        remember_message_ids(sessions, "smpp", "smpp-early", ["early-1", "early-2"])
        eventually(lambda: len(receiver.of("smpp-early")) == 1)
        forwarder.submit(DELIVERED.format("early-1"))  # a repeat: same event id, a replay
        eventually(lambda: forwarder.pending == 0)
        events = receiver.of("smpp-early")
        assert len(events) == 2 and events[0]["event_id"] == events[1]["event_id"]
        assert events[0]["detail"]["message_id"] == "early-1"
    finally:
        forwarder.close()
        forwarder.http.close()


def test_close_drains_the_queue_first(sessions: sessionmaker[Session], receiver: Receiver) -> None:
    remember_message_ids(sessions, "smpp", "smpp-drained", ["drained-1"])
    receiver.fail_next = 3
    forwarder = forwarder_for(sessions, receiver)
    forwarder.submit(DELIVERED.format("drained-1"))
    forwarder.close()
    forwarder.http.close()
    assert [event["kind"] for event in receiver.of("smpp-drained")] == ["delivered"]
    assert forwarder.pending == 0


def test_every_part_is_reported_with_its_number(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    """Each part's receipt reaches the API, numbered, so the workflow can count them."""
    remember_message_ids(sessions, "smpp", "smpp-long", ["long-1", "long-2", "long-3"])
    forwarder = forwarder_for(sessions, receiver)
    try:
        for message_id in ("long-1", "long-2", "long-3"):
            forwarder.submit(DELIVERED.format(message_id))
        eventually(lambda: len(receiver.of("smpp-long")) == 3)
    finally:
        forwarder.close()
        forwarder.http.close()
    numbered = sorted((e["detail"]["part"], e["detail"]["parts"]) for e in receiver.of("smpp-long"))
    assert numbered == [("1", "3"), ("2", "3"), ("3", "3")]

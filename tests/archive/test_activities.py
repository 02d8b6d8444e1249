"""The hand-back activities on a real record: archive filed once and audited, callback retried
until the (flaky) receiver answers 2xx and signed, the judge's SMS without party data."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import func, select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.archive import ARCHIVE_CREATED, ArchiveActivities
from activities.archive_callback import HandBackActivities
from activities.channels.sms.base import SmsMessage, SmsSubmitted
from activities.channels.sms.failover import FailoverSms
from domain.crypto.signing import verify
from domain.pure.archive_io import ArchiveInput, HandBackInput
from domain.store.audit import chained_fields, entry_hash
from domain.tables.archive import Archive, CallbackDelivery
from domain.tables.core import ServiceRequest, TimelineEvent, User
from domain.tables.trust import AuditEntry
from sandbox import callbacks
from sandbox.state import Records
from tests.archive.conftest import Seeded


@dataclass
class RecordingSms:
    """An SMS provider that keeps what it was asked to send (the gateway is not under test)."""

    name: str = "recording"
    sent: list[SmsMessage] = field(default_factory=list)

    def send(self, message: SmsMessage) -> SmsSubmitted:
        """Keeps the message."""
        self.sent.append(message)
        return SmsSubmitted(self.name, [f"m{len(self.sent)}"])


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def receiver(seeded: Seeded) -> Iterator[tuple[str, Records]]:
    """The sandbox's callback receiver on a real port."""
    app = FastAPI()
    app.state.settings = seeded.settings
    app.state.records = Records()
    app.include_router(callbacks.router)
    port = _port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app.state.records
    server.should_exit = True
    thread.join(5)


def test_archive_is_filed_once_and_chained_into_the_audit(seeded: Seeded) -> None:
    activities = ArchiveActivities(seeded.sessions, seeded.store, seeded.settings)
    first = activities.build_archive(ArchiveInput(seeded.request_id, "sr-r1"))
    again = activities.build_archive(ArchiveInput(seeded.request_id, "sr-r1"))
    assert again == first
    assert seeded.store.get(first.sha256)
    with seeded.sessions() as session:
        row = session.scalar(select(Archive))
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == ARCHIVE_CREATED))
        (entry,) = entries.all()
    assert row is not None and row.audit_seq == entry.seq
    key = activities.seals.current("J12")
    assert key is not None
    assert entry.detail == {
        "manifest_sha256": first.manifest_sha256,
        "archive_sha256": first.sha256,
        # The court's first archive created its seal key (entry 1): the head it followed.
        "audit_head": {"seq": 1, "hash": entry.prev_hash},
        "seal_key_id": key.key_id,
    }
    assert entry.hash == entry_hash(entry.prev_hash, chained_fields(entry))


def test_a_lost_file_is_rebuilt_to_the_same_bytes(seeded: Seeded) -> None:
    activities = ArchiveActivities(seeded.sessions, seeded.store, seeded.settings)
    first = activities.build_archive(ArchiveInput(seeded.request_id))
    path = seeded.settings.document_dir / first.sha256[:2] / first.sha256[2:4] / first.sha256
    path.unlink()
    assert activities.build_archive(ArchiveInput(seeded.request_id)) == first
    assert path.exists()


def _set_callback(seeded: Seeded, url: str) -> None:
    with seeded.sessions() as session:
        session.get_one(ServiceRequest, seeded.request_id).callback_url = url
        session.commit()


def test_callback_is_signed_and_retried_until_acknowledged(
    seeded: Seeded, receiver: tuple[str, Records]
) -> None:
    base, records = receiver
    _set_callback(seeded, f"{base}/sandbox/hooks/flaky-hx")
    with httpx.Client() as http:
        hand_back = HandBackActivities(
            seeded.sessions, http, FailoverSms([RecordingSms()]), seeded.settings
        )
        arg = HandBackInput(seeded.request_id, "completed", "ab" * 32)
        failures = 0
        while True:
            try:
                result = ActivityEnvironment().run(hand_back.deliver_callback, arg)
                break
            except ApplicationError:
                failures += 1
                assert failures < 5
    assert result.outcome == "delivered"
    assert failures == 2  # the flaky hook answers 503 twice
    posts = records.items("callbacks")
    assert [p["answered"] for p in posts] == [200, 503, 503]
    assert all(p["valid"] for p in posts)
    body = json.loads(posts[0]["raw"])
    assert body["request_id"] == seeded.request_id
    assert body["archive"]["sha256"] == "ab" * 32
    assert body["archive"]["url"].endswith(f"/v1/service-requests/{seeded.request_id}/archive")
    assert verify(
        seeded.settings.callback_secret,
        posts[0]["timestamp"],
        posts[0]["signature"],
        posts[0]["raw"].encode(),
        300,
    )
    with seeded.sessions() as session:
        codes = session.scalars(select(CallbackDelivery.status_code)).all()
    assert sorted(codes) == [200, 503, 503]


def test_a_forged_signature_is_recorded_invalid(
    seeded: Seeded, receiver: tuple[str, Records]
) -> None:
    base, records = receiver
    headers = {"X-Songda-Timestamp": str(int(time.time())), "X-Songda-Signature": "0" * 64}
    answer = httpx.post(f"{base}/sandbox/hooks/forged", content=b"{}", headers=headers)
    assert answer.status_code == 200
    assert records.items("callbacks")[0]["valid"] is False


def test_no_callback_url_is_skipped_with_a_note(seeded: Seeded) -> None:
    with httpx.Client() as http:
        hand_back = HandBackActivities(
            seeded.sessions, http, FailoverSms([RecordingSms()]), seeded.settings
        )
        result = ActivityEnvironment().run(
            hand_back.deliver_callback, HandBackInput(seeded.request_id, "completed", "ab" * 32)
        )
    assert result.outcome == "skipped"
    with seeded.sessions() as session:
        notes = session.scalar(select(func.count()).where(TimelineEvent.kind == "archive_note"))
    assert notes == 2  # one on each party's timeline


def test_the_judge_gets_an_sms_without_party_data(seeded: Seeded) -> None:
    sms = RecordingSms()
    with seeded.sessions() as session:
        session.add(User(name="judge-zhang", role="judge", court_code="J12", phone="13900000005"))
        session.commit()
    with httpx.Client() as http:
        hand_back = HandBackActivities(seeded.sessions, http, FailoverSms([sms]), seeded.settings)
        result = hand_back.notify_judge(HandBackInput(seeded.request_id, "completed", "ab" * 32))
    assert result.outcome == "sent"
    (message,) = sms.sent
    assert message.to == "13900000005"
    assert message.text.startswith(
        "【天津市河西区人民法院】（2026）津0103民初1234号送达已完成，归档已生成"
    )
    assert f"/console/judge/cases/{seeded.request_id}" in message.text
    assert "张" not in message.text


def test_no_judge_with_a_phone_is_skipped(seeded: Seeded) -> None:
    sms = RecordingSms()
    with seeded.sessions() as session:
        session.add(User(name="judge-zhang", role="judge", court_code="J99", phone="13900000005"))
        session.commit()
    with httpx.Client() as http:
        hand_back = HandBackActivities(seeded.sessions, http, FailoverSms([sms]), seeded.settings)
        result = hand_back.notify_judge(HandBackInput(seeded.request_id, "completed", "ab" * 32))
    assert result.outcome == "skipped"
    assert sms.sent == []

"""Click-to-call through the sandbox's virtual line; the record and recording attach once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.calls.cti import HttpCtiAdapter
from api.calls.fetcher import fetch_ended_calls
from api.calls.service import fetch_call, start_call
from api.errors import Unavailable
from domain.settings import Settings
from domain.store.db import make_session_factory
from domain.store.documents import DocumentStore
from domain.tables.core import TimelineEvent, User, WorkOrder
from domain.tables.people import CallAttempt, Evidence
from domain.tables.trust import AuditEntry
from sandbox.app import create_app as create_sandbox
from tests.api.conftest import count, stored_files
from tests.api.evidence_support import PHONE, fresh_database, people, seed_order
from tests.sandbox.support import ServerThread, free_port

CALL_SECONDS = 2.0  # long enough to see a call ringing on a busy machine


@pytest.fixture(scope="module")
def line_url() -> Iterator[str]:
    """A real sandbox whose calls last CALL_SECONDS."""
    settings = Settings(
        SONGDA_SANDBOX_CALL_SECONDS=CALL_SECONDS,
        SONGDA_SMTP_PORT=free_port(),
        SONGDA_SMPP_PORT=free_port(),
    )
    server = ServerThread(create_sandbox(settings), free_port()).start()
    yield server.url
    server.stop()


BOTH_BACKENDS = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database: SQLite, and PostgreSQL too where the test asks for both."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def settings(tmp_path: Path, line_url: str, database_url: str) -> Settings:
    """The API on SQLite, calling through the sandbox; the background fetch left to the tests."""
    return Settings(
        SONGDA_STATE_DIR=tmp_path / "state",
        DATABASE_URL=database_url,
        TEMPORAL_ADDRESS="127.0.0.1:1",
        SONGDA_CTI_URL=f"{line_url}/cti",
        SONGDA_CALL_FETCH_SECONDS=3600,
    )


def call(client: TestClient, headers: dict[str, str], order_id: str, **body: Any) -> httpx.Response:
    """Clicks to call."""
    answer: httpx.Response = client.post(
        f"/v1/work-orders/{order_id}/call", json=body or None, headers=headers
    )
    return answer


def fetch(
    client: TestClient, headers: dict[str, str], order_id: str, call_id: str
) -> dict[str, Any]:
    """Fetches the call's record once."""
    answer = client.post(f"/v1/work-orders/{order_id}/calls/{call_id}/fetch", headers=headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def fetch_when_ended(
    client: TestClient, headers: dict[str, str], order_id: str, call_id: str
) -> dict[str, Any]:
    """Fetches until the call has ended and attached."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        body = fetch(client, headers, order_id, call_id)
        if body["fetched"]:
            return body
        time.sleep(0.1)
    raise AssertionError("the call never ended")


@BOTH_BACKENDS
def test_click_to_call_then_fetch_attaches_call_and_recording_once(
    client: TestClient,
    db: Session,
    settings: Settings,
    line_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    users, seeded = people(db), seed_order(db)
    answer = call(client, users["clerk"], seeded.order_id)
    assert answer.status_code == 201, answer.text
    assert PHONE not in answer.text
    assert answer.json()["number"] == "138****0002"
    call_id = answer.json()["call_id"]
    placed = httpx.get(f"{line_url}/sandbox/calls", params={"to": PHONE}).json()["items"]
    mine = [(i["call_id"], i["agent"]) for i in placed if i["reference"] == seeded.order_id]
    assert mine == [(call_id, "clerk-li")]
    ringing = fetch(client, users["clerk"], seeded.order_id, call_id)
    assert ringing["fetched"] is False and ringing["state"] in {"ringing", "in_progress"}
    done = fetch_when_ended(client, users["clerk"], seeded.order_id, call_id)
    assert done["result"] == "answered"
    assert done["duration_seconds"] >= 1
    recording = done["recording"]
    assert recording["kind"] == "recording" and recording["media_type"] == "audio/wav"
    again = fetch(client, users["supervisor"], seeded.order_id, call_id)
    assert again["recording"]["id"] == recording["id"]
    assert (count(db, CallAttempt), count(db, Evidence), len(stored_files(settings))) == (1, 1, 1)
    attempt = db.scalars(select(CallAttempt)).one()
    assert (attempt.source, attempt.cti_call_id, attempt.recording_evidence_id) == (
        "cti",
        call_id,
        recording["id"],
    )
    clerk = db.scalars(select(User).where(User.name == "clerk-li")).one()
    assert attempt.actor_id == clerk.id
    kinds = [e.kind for e in db.scalars(select(TimelineEvent).order_by(TimelineEvent.at))]
    assert kinds == ["call_placed", "evidence", "call"]
    actions = db.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    assert [a for a in actions if a.startswith(("call.", "evidence."))] == [
        "call.start",
        "evidence.upload",
        "call.fetch",
    ]
    wav = client.get(recording["url"], headers=users["judge"])
    assert wav.status_code == 200 and wav.content.startswith(b"RIFF")
    assert PHONE not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("number", "result"), [("13800000010", "unreachable"), ("13800000009", "busy")]
)
def test_unanswered_call_attaches_without_recording(
    client: TestClient, db: Session, number: str, result: str
) -> None:
    users, seeded = people(db), seed_order(db, phones=[number])
    call_id = call(client, users["clerk"], seeded.order_id).json()["call_id"]
    done = fetch_when_ended(client, users["clerk"], seeded.order_id, call_id)
    assert (done["result"], done["duration_seconds"], done["recording"]) == (result, 0, None)
    assert (count(db, CallAttempt), count(db, Evidence)) == (1, 0)


@BOTH_BACKENDS
def test_background_fetch_and_racing_fetchers_attach_once(
    client: TestClient, db: Session, engine: Engine, settings: Settings
) -> None:
    users, seeded = people(db), seed_order(db)
    call_id = call(client, users["clerk"], seeded.order_id).json()["call_id"]
    factory = make_session_factory(engine)
    store = DocumentStore(settings.document_dir)
    assert asyncio.run(fetch_ended_calls(factory, store, settings)) == 0  # still ringing
    time.sleep(CALL_SECONDS + 0.2)

    def one_fetcher(_: int) -> bool:
        with factory() as session:
            return fetch_call(
                session=session, store=store, settings=settings, call_id=call_id
            ).fetched

    with ThreadPoolExecutor(max_workers=3) as pool:
        assert all(pool.map(one_fetcher, range(3)))
    assert asyncio.run(fetch_ended_calls(factory, store, settings)) == 0  # nothing left
    assert (count(db, CallAttempt), count(db, Evidence)) == (1, 1)
    kinds = db.scalars(select(TimelineEvent.kind)).all()
    assert sorted(kinds) == ["call", "call_placed", "evidence"]


def test_background_loop_fetches_by_itself(db: Session, engine: Engine, settings: Settings) -> None:
    from api.app import create_app

    users, seeded = people(db), seed_order(db)
    fast = settings.model_copy(update={"call_fetch_seconds": 0.1})
    with TestClient(create_app(fast)) as client:
        call(client, users["clerk"], seeded.order_id)
        deadline = time.monotonic() + 10
        while count(db, Evidence) == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
    assert (count(db, CallAttempt), count(db, Evidence)) == (1, 1)
    assert db.scalars(select(CallAttempt.result)).one() == "answered"
    fetched_by = db.scalars(select(AuditEntry.actor).where(AuditEntry.action == "call.fetch"))
    assert fetched_by.all() == ["call-fetcher"]
    clerk = db.scalars(select(User.id).where(User.name == "clerk-li")).one()
    assert db.scalars(select(Evidence.uploaded_by)).one() == clerk


def test_who_may_call_and_when(client: TestClient, db: Session) -> None:
    users, seeded = people(db), seed_order(db)
    assert call(client, users["judge"], seeded.order_id).status_code == 403
    assert call(client, users["ops"], seeded.order_id).status_code == 403
    assert call(client, users["far_clerk"], seeded.order_id).status_code == 404
    assert call(client, users["clerk"], seeded.order_id, phone_index=1).status_code == 422
    closed = seed_order(db, status="closed")
    assert call(client, users["clerk"], closed.order_id).status_code == 409
    direct = seed_order(db, order_kind="direct")
    assert call(client, users["clerk"], direct.order_id).status_code == 409
    no_number = seed_order(db, phones=[])
    assert call(client, users["clerk"], no_number.order_id).status_code == 409
    held = seed_order(db)
    order = db.get_one(WorkOrder, held.order_id)
    order.assignee_id = db.scalars(select(User.id).where(User.name == "sup-wang")).one()
    db.commit()
    assert call(client, users["clerk"], held.order_id).status_code == 409
    assert call(client, users["supervisor"], held.order_id).status_code == 201
    assert count(db, CallAttempt) == 1


def test_fetch_refusals(client: TestClient, db: Session) -> None:
    users, seeded = people(db), seed_order(db)
    other = seed_order(db)
    call_id = call(client, users["clerk"], seeded.order_id).json()["call_id"]
    path = f"/v1/work-orders/{other.order_id}/calls/{call_id}/fetch"
    assert client.post(path, headers=users["clerk"]).status_code == 404
    unknown = f"/v1/work-orders/{seeded.order_id}/calls/cti-nope/fetch"
    assert client.post(unknown, headers=users["clerk"]).status_code == 404
    mine = f"/v1/work-orders/{seeded.order_id}/calls/{call_id}/fetch"
    assert client.post(mine, headers=users["ops"]).status_code == 403


def test_line_down_is_503_and_stores_nothing(db: Session, settings: Settings) -> None:
    people(db)
    seeded = seed_order(db)
    clerk = db.scalars(select(User).where(User.name == "clerk-li")).one()
    with pytest.raises(Unavailable):
        start_call(
            session=db, settings=settings, user=clerk, order_id=seeded.order_id,
            cti=HttpCtiAdapter("http://127.0.0.1:1/cti", timeout=1),
        )  # fmt: skip
    assert count(db, CallAttempt) == 0


def test_script_for_the_order(client: TestClient, db: Session) -> None:
    users = people(db)
    seeded = seed_order(db, procedure="ordinary", kinds=("summons", "response_notice"))
    answer = client.get(f"/v1/work-orders/{seeded.order_id}/script", headers=users["clerk"])
    assert answer.status_code == 200
    body = answer.json()
    assert body["title"] == "电话送达话术 · （2026）津0103民初1234号"
    text = "\n".join(line for section in body["sections"] for line in section["lines"])
    assert "张*" in text and "张三" not in text
    assert "《传票》《应诉通知书》" in text and "普通程序" in text
    assert "十五日内提交答辩状" in text and "12368" in text
    assert (
        client.get(f"/v1/work-orders/{seeded.order_id}/script", headers=users["ops"]).status_code
        == 403
    )

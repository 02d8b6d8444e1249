"""Issue 13 (9) at delivery: a refused target is never called, never retried, and ops see it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from temporalio.testing import ActivityEnvironment

from activities.archive_callback import HandBackActivities
from activities.channels.sms.failover import FailoverSms
from api.ops.refused_callbacks import refused_callbacks
from domain.pure.archive_io import HandBackInput
from domain.tables.archive import CallbackDelivery
from domain.tables.core import ServiceRequest, TimelineEvent
from tests.archive.conftest import Seeded
from tests.archive.test_activities import RecordingSms


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def case_system() -> Iterator[tuple[str, list[str]]]:
    """A case system on loopback: /hook answers 200, /moved redirects to cloud metadata."""
    hits: list[str] = []
    app = FastAPI()

    @app.post("/hook")
    async def hook(request: Request) -> Response:
        hits.append(request.url.path)
        return Response(status_code=200)

    @app.post("/moved")
    async def moved(request: Request) -> Response:
        hits.append(request.url.path)
        return RedirectResponse("http://169.254.169.254/latest/meta-data/", status_code=307)

    port = _port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", hits
    server.should_exit = True
    thread.join(5)


def _deliver(seeded: Seeded, url: str, environment: str) -> str:
    with seeded.sessions() as session:
        session.get_one(ServiceRequest, seeded.request_id).callback_url = url
        session.commit()
    settings = seeded.settings.model_copy(update={"environment": environment})
    with httpx.Client() as http:
        hand_back = HandBackActivities(
            seeded.sessions, http, FailoverSms([RecordingSms()]), settings
        )
        arg = HandBackInput(seeded.request_id, "completed", "ab" * 32)
        # One run: a refusal returns (no ApplicationError), so Temporal never retries it.
        return ActivityEnvironment().run(hand_back.deliver_callback, arg).outcome


def _refusals(seeded: Seeded) -> list[str]:
    with seeded.sessions() as session:
        return [str(e) for e in session.scalars(select(CallbackDelivery.error))]


def test_a_loopback_callback_is_refused_at_delivery_without_a_connection(
    seeded: Seeded, case_system: tuple[str, list[str]]
) -> None:
    base, hits = case_system
    assert _deliver(seeded, f"{base}/hook", "production") == "refused"
    assert hits == []  # never connected
    assert _refusals(seeded) == [
        "refused: no callback origin is configured for hx-case-system (SONGDA_CALLBACK_ORIGINS)"
    ]
    with seeded.sessions() as session:
        (item,) = refused_callbacks(session)
        notes = session.scalars(select(TimelineEvent.detail).where(
            TimelineEvent.kind == "archive_note")).all()  # fmt: skip
    assert item[0] == seeded.request_id and "no callback origin" in item[1]
    assert {"callback": "refused"}.items() <= notes[0].items()


def test_a_redirect_is_not_followed(seeded: Seeded, case_system: tuple[str, list[str]]) -> None:
    base, hits = case_system
    assert _deliver(seeded, f"{base}/moved", "development") == "refused"
    assert hits == ["/moved"]
    (error,) = _refusals(seeded)
    assert error.startswith("refused: the case system answered a redirect (HTTP 307)")


def test_an_allowed_callback_is_still_delivered(
    seeded: Seeded, case_system: tuple[str, list[str]]
) -> None:
    base, hits = case_system
    assert _deliver(seeded, f"{base}/hook", "development") == "delivered"
    assert hits == ["/hook"]
    with seeded.sessions() as session:
        assert refused_callbacks(session) == []

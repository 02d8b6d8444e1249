"""Fixtures for the address book: a fresh SQLite file, a key ring and builders of case rows."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from domain.crypto.keyring import KeyRing
from domain.store.db import make_engine, make_session_factory
from domain.tables.core import (
    Attempt,
    Base,
    Court,
    Party,
    ServiceRequest,
    ServiceTask,
    TimelineEvent,
    User,
)

BOOK_TABLES = ("party_identities", "contact_points", "consent_records", "address_confirmations")
CASE_1 = "（2026）津0103民初1234号"
CASE_2 = "（2026）津0103民初5678号"
NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
ID_NUMBER = "11010119950612101X"
OTHER_ID = "440306199907150021"
PHONE = "13800000002"
EMAIL = "zhangsan@example.com"
ADDRESS = "天津市河西区友谊路1号"


def make_ring() -> KeyRing:
    """Returns a key ring for tests (never the development default)."""
    return KeyRing.from_spec(f"t1:{base64.b64encode(b'k' * 32).decode()}", "test-index-key")


@pytest.fixture
def ring() -> KeyRing:
    """The key ring the book seals and indexes with."""
    return make_ring()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A SQLite file with every table."""
    engine = make_engine(f"sqlite:///{tmp_path / 'book.db'}")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session on the test database."""
    with make_session_factory(engine)() as session:
        yield session


@dataclass
class Cases:
    """Builds requests, parties, tasks, attempts and trail events."""

    session: Session
    serial: int = 0

    def request(self, case_number: str = CASE_1, procedure: str = "ordinary") -> ServiceRequest:
        """Adds a request of the court J12 (creating the court and client once)."""
        if self.session.get(Court, "J12") is None:
            self.session.add(Court(code="J12", name="天津市河西区人民法院"))
            self.session.add(User(id="client", name="case-system", role="case_system"))
            self.session.flush()
        self.serial += 1
        request = ServiceRequest(
            client_id="client",
            external_id=f"EXT-{self.serial}",
            court_code="J12",
            case_number=case_number,
            procedure=procedure,
        )
        self.session.add(request)
        self.session.flush()
        return request

    def party(self, request: ServiceRequest, **fields: Any) -> Party:
        """Adds a party (a person with ID_NUMBER unless told otherwise) to the request."""
        self.serial += 1
        values: dict[str, Any] = {
            "ref": f"P{self.serial}",
            "name": "张三",
            "kind": "person",
            "role": "defendant",
            "id_number": ID_NUMBER,
            "phones": [],
            "emails": [],
            "addresses": [],
            "repaired_phones": [],
            "learned": {},
        }
        values.update(fields)
        party = Party(request_id=request.id, position=1, **values)
        self.session.add(party)
        self.session.flush()
        return party

    def task(self, request: ServiceRequest, party: Party) -> ServiceTask:
        """Adds the party's service task."""
        task = ServiceTask(
            request_id=request.id,
            party_id=party.id,
            position=1,
            party_ref=party.ref,
            workflow_id=f"svc-{request.id}-{party.ref}",
        )
        self.session.add(task)
        self.session.flush()
        return task

    def attempt(
        self,
        task: ServiceTask,
        contact: str,
        status: str,
        *,
        step: str = "electronic",
        events: list[dict[str, Any]] | None = None,
        at: datetime = NOW,
    ) -> Attempt:
        """Adds an attempt at `contact` (e.g. "phone0s") with its status and raw events."""
        kind = re.sub(r"\d+[a-z]$", "", contact)
        channel = {"phone": "sms", "email": "email", "address": "post"}[kind]
        attempt = Attempt(
            task_id=task.id,
            step=step,
            channel=channel,
            target_label="masked",
            idempotency_key=f"{task.id}:{step}:1:{contact}",
            provider="sandbox",
            status=status,
            detail={"events": events or []},
            updated_at=at,
        )
        self.session.add(attempt)
        self.session.flush()
        return attempt

    def step_started(self, task: ServiceTask, step: str, contacts: str) -> None:
        """Adds the trail event that names the contacts a rung used."""
        self.serial += 1
        self.session.add(
            TimelineEvent(
                task_id=task.id,
                event_key=f"{task.workflow_id}:run:{self.serial}",
                seq=self.serial,
                at=NOW - timedelta(days=1),
                step=step,
                kind="step_started",
                detail={"contacts": contacts},
            )
        )
        self.session.flush()


@pytest.fixture
def cases(db: Session) -> Cases:
    """Builders of case rows on the test session."""
    return Cases(db)


def book_rows(session: Session) -> str:
    """Returns every row of the book's tables as raw text, as an attacker reading them would."""
    dump = []
    for table in BOOK_TABLES:
        dump += [repr(tuple(row)) for row in session.execute(text(f"SELECT * FROM {table}"))]
    return "\n".join(dump)

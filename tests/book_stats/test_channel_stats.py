"""Channel statistics over a trail: attempts, services, rates and median legal days per kind.

The same trail runs on SQLite and, where one is reachable, on PostgreSQL (marked integration).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import FrozenInstanceError
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from domain.store.db import make_engine
from domain.store.stats import ChannelStat, channel_stats, stats_hint
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

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
START = date(2026, 11, 2)


@pytest.fixture(scope="module")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('stats')}/stats.db")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def postgres_engine() -> Iterator[Engine]:
    name = f"songda_stats_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    Base.metadata.create_all(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# The tests only read, so each database gets the trail once.
@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)]
)
def session(request: pytest.FixtureRequest) -> Iterator[Session]:
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    with Session(engine) as db:
        _trail(db)
        db.commit()
        yield db


class _Trail:
    """Writes tasks with their timeline and attempts, the way the workflows leave them."""

    def __init__(self, db: Session) -> None:
        self.db = db
        db.add(Court(code="J12", name="天津市河西区人民法院"))
        db.add(User(id="client", name="client", role="client"))
        db.flush()
        db.add(
            ServiceRequest(
                id="req",
                client_id="client",
                external_id="HX-1",
                court_code="J12",
                case_number="（2026）津0103民初1234号",
                procedure="ordinary",
            )
        )
        db.flush()
        self.n = 0

    def task(
        self,
        kind: str,
        status: str,
        *,
        steps: tuple[str, ...],
        attempts: tuple[str, ...] = (),
        method: str | None = None,
        days: int | None = None,
        started: date = START,
    ) -> None:
        self.n += 1
        n = self.n
        self.db.add(
            Party(
                id=f"p{n}",
                request_id="req",
                position=n,
                ref=f"P{n}",
                name="张三",
                kind=kind,
                role="defendant",
            )
        )
        served_on = started + timedelta(days=days) if days is not None else None
        self.db.add(
            ServiceTask(
                id=f"t{n}",
                request_id="req",
                party_id=f"p{n}",
                position=n,
                party_ref=f"P{n}",
                workflow_id=f"svc-{n}",
                status=status,
                method=method,
                served_on=served_on,
            )
        )
        self.db.flush()  # attempts and events have no relationship that orders the inserts
        at = datetime(started.year, started.month, started.day, 1, tzinfo=UTC)
        events = [("plan", None), *(("step_started", s) for s in steps)]
        for seq, (event, step) in enumerate(events):
            self.db.add(
                TimelineEvent(
                    task_id=f"t{n}",
                    event_key=f"svc-{n}:{seq}",
                    seq=seq,
                    at=at + timedelta(hours=seq),
                    legal_date=started,
                    step=step,
                    kind=event,
                )
            )
        for i, step in enumerate(attempts):
            self.db.add(
                Attempt(
                    task_id=f"t{n}",
                    step=step,
                    channel="sms",
                    target_label="138****5678",
                    idempotency_key=f"t{n}:{step}:{i}",
                    provider="sandbox",
                )
            )


def _trail(db: Session) -> None:
    trail = _Trail(db)
    # Persons: served electronically in 1 day; by mail in 4 days after electronic failed; by
    # mail in 6 days (its mail step known only from the attempt row); one that failed all.
    trail.task("person", "served", steps=("electronic",), method="electronic", days=1)
    trail.task("person", "served", steps=("electronic", "mail"), method="mail", days=4)
    trail.task("person", "served", steps=("electronic",), attempts=("mail",), method="mail", days=6)
    trail.task("person", "failed", steps=("electronic", "phone", "mail", "direct"))
    # Not counted: a cancelled task and one still running its electronic step.
    trail.task("person", "cancelled", steps=("electronic",))
    trail.task("person", "serving", steps=("electronic",))
    # Organizations: both served by mail, in 2 and 3 days; electronic tried once, in vain.
    trail.task("organization", "served", steps=("electronic", "mail"), method="mail", days=2)
    trail.task("organization", "served", steps=("mail",), method="mail", days=3)
    # A year earlier: counted only without `since`.
    trail.task(
        "person",
        "served",
        steps=("electronic",),
        method="electronic",
        days=9,
        started=date(2025, 10, 1),
    )


def _by_key(stats: list[ChannelStat]) -> dict[tuple[str, str], ChannelStat]:
    return {(s.method, s.party_kind): s for s in stats}


SINCE = datetime(2026, 1, 1, tzinfo=UTC)


def test_rates_and_medians_per_method_and_kind(session: Session) -> None:
    stats = _by_key(channel_stats(session, since=SINCE))
    electronic = stats[("electronic", "person")]
    assert (electronic.attempts, electronic.served) == (4, 1)
    assert electronic.success_rate == pytest.approx(0.25)
    assert electronic.median_days == 1.0
    mail = stats[("mail", "person")]
    assert (mail.attempts, mail.served) == (3, 2)
    assert mail.success_rate == pytest.approx(2 / 3)
    assert mail.median_days == 5.0
    organization = stats[("mail", "organization")]
    assert (organization.attempts, organization.served, organization.success_rate) == (2, 2, 1.0)
    assert organization.median_days == 2.5
    assert stats[("electronic", "organization")].served == 0
    assert stats[("electronic", "organization")].median_days is None


def test_failed_steps_count_as_attempts_without_service(session: Session) -> None:
    stats = _by_key(channel_stats(session, since=SINCE))
    for method in ("phone", "direct"):
        stat = stats[(method, "person")]
        assert (stat.attempts, stat.served, stat.success_rate, stat.median_days) == (
            1,
            0,
            0.0,
            None,
        )
    assert ("public_notice", "person") not in stats


def test_results_come_in_ladder_order(session: Session) -> None:
    keys = [(s.method, s.party_kind) for s in channel_stats(session, since=SINCE)]
    assert keys == [
        ("electronic", "organization"),
        ("electronic", "person"),
        ("phone", "person"),
        ("mail", "organization"),
        ("mail", "person"),
        ("direct", "person"),
    ]


def test_since_leaves_out_older_tasks(session: Session) -> None:
    everything = _by_key(channel_stats(session))
    electronic = everything[("electronic", "person")]
    assert (electronic.attempts, electronic.served) == (5, 2)
    assert electronic.median_days == 5.0  # 1 and 9 legal days
    naive = _by_key(channel_stats(session, since=SINCE.replace(tzinfo=None)))
    assert naive[("electronic", "person")].attempts == 4
    later = channel_stats(session, since=datetime(2027, 1, 1, tzinfo=UTC))
    assert later == []


def test_stats_are_frozen(session: Session) -> None:
    stat = channel_stats(session)[0]
    with pytest.raises(FrozenInstanceError):
        stat.served = 99  # type: ignore[misc]


def test_hint_gives_rates_for_one_kind_with_enough_tasks(session: Session) -> None:
    stats = channel_stats(session, since=SINCE)
    assert stats_hint(stats, "organization", min_attempts=1) == {"electronic": 0.0, "mail": 1.0}
    hint = stats_hint(stats, "person", min_attempts=3)
    assert hint == {"electronic": pytest.approx(0.25), "mail": pytest.approx(2 / 3)}
    assert stats_hint(stats, "person") == {}  # too few tasks to quote by default
    assert stats_hint(stats, "lawyer", min_attempts=1) == {}

"""repair_numbers against the real sandbox's three operators and a SQLite database."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker
from temporalio.exceptions import ApplicationError

from activities.repair import RepairActivities
from domain.crypto.keyring import KeyRing, is_sealed
from domain.pure.activity_io import RepairInput
from domain.pure.masking import mask_phone
from domain.pure.operators import OPERATORS, legal_basis
from domain.store.contacts import repaired_numbers
from domain.tables.core import Attempt, RepairQuery, ServiceTask
from sandbox import world
from tests.repair.support import CASE_NUMBER, person_id, seed_task

Make = Callable[..., RepairActivities]


@pytest.fixture
def make(
    http: httpx.Client, sessions: sessionmaker[Session], ring: KeyRing, operators_url: str
) -> Make:
    """Builds the activities as the worker does, with the given limits."""

    def build(timeout: float = 2.0, rate_per_minute: int = 30) -> RepairActivities:
        return RepairActivities(
            http, sessions, ring, operators_url, timeout=timeout, rate_per_minute=rate_per_minute
        )

    return build


def queries(sessions: sessionmaker[Session], task_id: str) -> dict[str, RepairQuery]:
    """Returns the task's RepairQuery rows by operator (the last one per operator)."""
    with sessions() as session:
        rows = session.scalars(select(RepairQuery).where(RepairQuery.task_id == task_id)).all()
    return {row.operator: row for row in rows}


def count_queries(sessions: sessionmaker[Session], task_id: str) -> int:
    """Counts the task's RepairQuery rows."""
    with sessions() as session:
        return len(session.scalars(select(RepairQuery).where(RepairQuery.task_id == task_id)).all())


def lookups(http: httpx.Client) -> list[dict[str, object]]:
    """Returns the lookups the sandbox's operators received, newest first."""
    items: list[dict[str, object]] = http.get("/sandbox/repairs").json()["items"]
    return items


def outage(http: httpx.Client, operator: str, mode: str) -> None:
    """Switches an operator down, slow or ok."""
    http.post(f"/sandbox/operators/{operator}/outage", json={"mode": mode}).raise_for_status()


def test_born_before_2000_one_operator_finds_the_number_and_it_is_sealed(
    make: Make, http: httpx.Client, sessions: sessionmaker[Session], ring: KeyRing
) -> None:
    id_number = person_id(born=1985, operator="cucc")
    number = world.working_number(id_number)
    task_id = seed_task(sessions, id_number)
    result = make().repair_numbers(RepairInput(task_id, f"{task_id}:repair:1"))
    assert [(c.kind, c.index, c.label, c.confirmed, c.source) for c in result.contacts] == [
        ("phone", 0, mask_phone(number), False, "repaired")
    ]
    with sessions() as session:
        (raw,) = session.execute(text("SELECT repaired_phones FROM parties")).one()
        party = session.get_one(ServiceTask, task_id).party
        assert is_sealed(party.repaired_phones[0])
        assert repaired_numbers(party, ring) == [number]
    assert number not in str(raw) and id_number not in str(raw)
    rows = queries(sessions, task_id)
    assert {op: (r.outcome, r.found) for op, r in rows.items()} == {
        "cmcc": ("none", 0),
        "cucc": ("found", 1),
        "ctcc": ("none", 0),
    }
    assert {(r.case_number, r.legal_basis) for r in rows.values()} == {
        (CASE_NUMBER, legal_basis(CASE_NUMBER))
    }
    asked = lookups(http)
    assert sorted(str(i["operator"]) for i in asked) == sorted(OPERATORS)
    assert all(i["case_number"] == CASE_NUMBER and id_number not in str(i) for i in asked)
    with sessions() as session:
        ((source, label, sealed),) = session.execute(
            text("SELECT source, label, value_sealed FROM contact_points")
        ).all()
    assert (source, label) == ("repaired", mask_phone(number))
    assert number not in sealed and ring.open(sealed) == number


def test_born_2000_or_later_nobody_finds_anything(
    make: Make, sessions: sessionmaker[Session]
) -> None:
    task_id = seed_task(sessions, person_id(born=2003))
    result = make().repair_numbers(RepairInput(task_id, f"{task_id}:repair:1"))
    assert result.contacts == []
    rows = queries(sessions, task_id)
    assert {op: r.outcome for op, r in rows.items()} == dict.fromkeys(OPERATORS, "none")


def test_one_operator_down_the_others_still_answer(
    make: Make, http: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    task_id = seed_task(sessions, person_id(born=1970, operator="ctcc"))
    outage(http, "cmcc", "down")
    result = make().repair_numbers(RepairInput(task_id, f"{task_id}:repair:1"))
    assert len(result.contacts) == 1
    rows = queries(sessions, task_id)
    assert {op: r.outcome for op, r in rows.items()} == {
        "cmcc": "failed",
        "cucc": "none",
        "ctcc": "found",
    }


def test_a_slow_operator_times_out_without_holding_the_others(
    make: Make, http: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    task_id = seed_task(sessions, person_id(born=1990, operator="cmcc"))
    outage(http, "cucc", "slow")
    started = time.monotonic()
    result = make(timeout=1.0).repair_numbers(RepairInput(task_id, f"{task_id}:repair:1"))
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 2.5
    assert len(result.contacts) == 1
    assert {op: r.outcome for op, r in queries(sessions, task_id).items()} == {
        "cmcc": "found",
        "cucc": "timeout",
        "ctcc": "none",
    }


def test_no_operator_answering_is_retried_and_a_retry_asks_again(
    make: Make, http: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    task_id = seed_task(sessions, person_id(born=1980, operator="cucc"))
    reference = f"{task_id}:repair:1"
    activities = make()
    for operator in OPERATORS:
        outage(http, operator, "down")
    with pytest.raises(ApplicationError) as raised:
        activities.repair_numbers(RepairInput(task_id, reference))
    assert not raised.value.non_retryable
    assert {r.outcome for r in queries(sessions, task_id).values()} == {"failed"}
    with sessions() as session:
        party = session.get_one(ServiceTask, task_id).party
        assert party.repaired_phones == []
    http.post("/sandbox/reset").raise_for_status()
    result = activities.repair_numbers(RepairInput(task_id, reference))
    assert len(result.contacts) == 1
    assert count_queries(sessions, task_id) == 6


def test_the_query_over_the_rate_limit_is_not_sent(
    make: Make, http: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    task_id = seed_task(sessions, person_id(born=1960, operator="cmcc"))
    activities = make(rate_per_minute=1)
    assert activities.panel.limits["cucc"].try_take()  # cucc's one query this minute is spent
    result = activities.repair_numbers(RepairInput(task_id, f"{task_id}:repair:1"))
    assert len(result.contacts) == 1
    assert {op: r.outcome for op, r in queries(sessions, task_id).items()} == {
        "cmcc": "found",
        "cucc": "rate_limited",
        "ctcc": "none",
    }
    assert sorted(str(i["operator"]) for i in lookups(http)) == ["cmcc", "ctcc"]
    with pytest.raises(ApplicationError):
        activities.repair_numbers(RepairInput(task_id, f"{task_id}:repair:2"))
    assert len(lookups(http)) == 2
    assert count_queries(sessions, task_id) == 6


def test_a_retried_call_with_the_same_reference_asks_nobody(
    make: Make, http: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    task_id = seed_task(sessions, person_id(born=1975, operator="ctcc"))
    activities = make()
    first = activities.repair_numbers(RepairInput(task_id, f"{task_id}:repair:1"))
    again = activities.repair_numbers(RepairInput(task_id, f"{task_id}:repair:1"))
    assert again == first and len(first.contacts) == 1
    assert len(lookups(http)) == 3
    assert count_queries(sessions, task_id) == 3
    with sessions() as session:
        attempt = session.scalars(select(Attempt)).one()
    assert (attempt.status, attempt.task_id, attempt.channel) == ("answered", task_id, "repair")


def test_known_numbers_are_not_stored_twice(
    make: Make, sessions: sessionmaker[Session], ring: KeyRing
) -> None:
    id_number = person_id(born=1965, operator="cucc")
    number = world.working_number(id_number)
    submitted = seed_task(sessions, id_number, phones=[number])
    activities = make()
    assert activities.repair_numbers(RepairInput(submitted, f"{submitted}:repair:1")).contacts == []
    assert queries(sessions, submitted)["cucc"].outcome == "found"
    task_id = seed_task(sessions, id_number)
    for attempt in (1, 2):
        result = activities.repair_numbers(RepairInput(task_id, f"{task_id}:repair:{attempt}"))
        assert [c.label for c in result.contacts] == [mask_phone(number)]
    with sessions() as session:
        party = session.get_one(ServiceTask, task_id).party
        assert repaired_numbers(party, ring) == [number]


def test_a_party_without_id_number_asks_nobody(
    make: Make, http: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    task_id = seed_task(sessions, None)
    assert make().repair_numbers(RepairInput(task_id, f"{task_id}:repair:1")).contacts == []
    assert lookups(http) == [] and count_queries(sessions, task_id) == 0

"""Helpers of the repair tests: ID numbers that hit each sandbox scenario, and a seeded task."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from sqlalchemy.orm import Session, sessionmaker

from domain.identity import normalize_id_number
from domain.tables.core import Court, Party, ServiceRequest, ServiceTask, User
from sandbox import world

CASE_NUMBER = "(2026)津0103民初1234号"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_serial = itertools.count(1)


def _with_check(first17: str) -> str:
    return (
        first17
        + "10X98765432"[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]
    )


def person_id(*, born: int, operator: str | None = None) -> str:
    """Returns a valid ID number born in that year whose number the operator finds (or none)."""
    for serial in range(1000):
        number = normalize_id_number(_with_check(f"120103{born}0101{serial:03d}"))
        if operator is None or world.repair_operator(number) == operator:
            return number
    raise AssertionError(f"no ID number found for operator {operator}")


def seed_task(
    sessions: sessionmaker[Session], id_number: str | None, phones: Sequence[str] = ()
) -> str:
    """Stores a request with one person and its task; returns the task id."""
    n = next(_serial)
    with sessions() as session:
        if session.get(Court, "J12") is None:
            session.add(Court(code="J12", name="天津市河西区人民法院"))
            session.add(User(id="client", name="case-system", role="case_system"))
            session.flush()
        request = ServiceRequest(
            client_id="client",
            external_id=f"R-{n}",
            court_code="J12",
            case_number=CASE_NUMBER,
            procedure="ordinary",
        )
        session.add(request)
        session.flush()
        party = Party(
            request_id=request.id,
            position=0,
            ref="P1",
            name="张三",
            kind="person",
            role="defendant",
            id_number=id_number,
            phones=list(phones),
        )
        session.add(party)
        session.flush()
        task = ServiceTask(
            request_id=request.id,
            party_id=party.id,
            position=0,
            party_ref="P1",
            workflow_id=f"svc-{request.id}-P1",
        )
        session.add(task)
        session.commit()
        return task.id

"""A known set of requests, tasks, work orders, repair queries and attempts for ops tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from domain.tables.core import (
    Attempt,
    Court,
    Party,
    RepairQuery,
    ServiceRequest,
    ServiceTask,
    TimelineEvent,
    User,
    WorkOrder,
    new_id,
)

# (request, court, case type, judge, created at UTC, [(status, method, served_on)])
REQUESTS: list[tuple[str, str, str, str, datetime, list[tuple[str, str | None, str | None]]]] = [
    ("R1", "J12", "民初", "judge-zhang", datetime(2026, 11, 2, 2, tzinfo=UTC),
     [("served", "electronic", "2026-11-03"), ("served", "mail", "2026-11-07")]),
    ("R2", "J12", "刑初", "judge-li", datetime(2026, 11, 10, 2, tzinfo=UTC),
     [("served", "electronic", "2026-11-10"), ("failed", None, None)]),
    ("R3", "K01", "民终", "judge-zhang", datetime(2026, 11, 20, 2, tzinfo=UTC),
     [("waiting_human", None, None), ("served", "public_notice", "2026-12-25")]),
    ("R4", "J12", "民初", "judge-zhang", datetime(2026, 10, 15, 2, tzinfo=UTC),
     [("served", "electronic", "2026-10-15")]),
    # 2026-10-31 17:00 UTC is 2026-11-01 01:00 in Beijing: inside November's figures.
    ("R5", "J12", "民初", "judge-wang", datetime(2026, 10, 31, 17, tzinfo=UTC),
     [("serving", None, None)]),
]  # fmt: skip


def seed(session: Session) -> dict[str, str]:
    """Stores the known set and returns task ids by name (R1-1, R1-2, …)."""
    session.add_all([Court(code="J12", name="河西"), Court(code="K01", name="其他")])
    client = User(name="seed-case-system", role="case_system", court_code="J12")
    session.add(client)
    session.flush()
    tasks: dict[str, str] = {}
    for ref, court, kind, judge, created, outcomes in REQUESTS:
        request = ServiceRequest(
            id=new_id(), client_id=client.id, external_id=ref, court_code=court,
            case_number=f"（2026）津0103{kind}{len(tasks) + 1}号", procedure="ordinary",
            handler=judge, clock={}, created_at=created,
        )  # fmt: skip
        session.add(request)
        for position, (status, method, served_on) in enumerate(outcomes, 1):
            tasks[f"{ref}-{position}"] = _task(
                session, request, position, status, method, served_on
            )
    session.flush()
    _work(session, tasks)
    session.commit()
    return tasks


def _task(
    session: Session,
    request: ServiceRequest,
    position: int,
    status: str,
    method: str | None,
    served_on: str | None,
) -> str:
    party = Party(
        id=new_id(), request_id=request.id, position=position, ref=f"P{position}",
        name="某", kind="person", role="defendant",
    )  # fmt: skip
    session.add(party)
    task = ServiceTask(
        id=new_id(), request_id=request.id, party_id=party.id, position=position,
        party_ref=party.ref, workflow_id=f"svc-{request.id}-{party.ref}", status=status,
        method=method, served_on=date.fromisoformat(served_on) if served_on else None,
        step="phone" if status == "waiting_human" else None,
    )  # fmt: skip
    session.add(task)
    return task.id


def _order(task_id: str, kind: str, **fields: Any) -> WorkOrder:
    return WorkOrder(
        task_id=task_id, order_key=new_id(), court_code="J12", kind=kind,
        due_at=fields.pop("due_at", datetime(2026, 11, 30, tzinfo=UTC)), **fields,
    )  # fmt: skip


def _work(session: Session, tasks: dict[str, str]) -> None:
    session.add_all(
        [
            _order(tasks["R3-1"], "phone", status="closed", closed_by="clerk-li"),
            _order(tasks["R1-2"], "direct", status="closed", closed_by="clerk-li"),
            _order(tasks["R2-2"], "phone", status="closed", closed_by="clerk-zhao"),
            RepairQuery(task_id=tasks["R3-1"], operator="cm", case_number="x",
                        legal_basis="CPL", outcome="found", found=1),
            RepairQuery(task_id=tasks["R2-1"], operator="cm", case_number="x",
                        legal_basis="CPL", outcome="none", found=0),
        ]
    )  # fmt: skip


def make_stuck(session: Session, tasks: dict[str, str], now: datetime) -> None:
    """Adds an overdue work order, a provider outage and a wait long past its plan."""
    session.add(_order(tasks["R3-1"], "phone", due_at=now - timedelta(hours=2)))
    for n in range(3):
        session.add(
            Attempt(task_id=tasks["R5-1"], step="electronic", channel="sms",
                    target_label="137****0009", idempotency_key=f"k{n}",
                    provider="sandbox-sms", status="retrying",
                    created_at=now - timedelta(minutes=5 - n), updated_at=now)
        )  # fmt: skip
    task = session.get_one(ServiceTask, tasks["R5-1"])
    task.step, task.step_since = "electronic", now - timedelta(days=10)
    session.add(
        TimelineEvent(task_id=task.id, event_key=f"{task.workflow_id}:plan", seq=0, at=now,
                      kind="plan", detail={"steps": [{"step": "electronic", "wait_days": 3.0}]})
    )  # fmt: skip
    session.commit()

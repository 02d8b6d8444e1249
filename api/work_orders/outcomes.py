"""An outcome before it reaches the workflow: the rules it must meet, and what it teaches.

Every rule is checked before anything is stored, so a refused outcome (422/409) changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.access.auth import as_utc
from api.errors import Conflict, Invalid
from api.requests.bodies import AddressIn
from api.tasks.contacts import merge
from api.work_orders.bodies import OutcomeIn
from api.work_orders.calls import call_starts, calls_of
from api.work_orders.scope import order_in_scope
from domain.crypto.keyring import KeyRing
from domain.pure.ladder import WORK_ORDER_OUTCOMES
from domain.pure.work_order_rules import (
    WORK_ORDER_RULE_VERSION,
    Violation,
    direct_violations,
    opposing,
    unreachable_violation,
)
from domain.settings import Settings
from domain.tables.core import Document, Party, ServiceTask, User, WorkOrder
from domain.tables.people import Evidence

MEDIA_EVIDENCE = ("photo", "video")
# A browser's clock may run a little ahead or behind the server's.
CLOCK_SKEW = timedelta(minutes=2)


@dataclass(frozen=True)
class Learned:
    """Indexes into the party's record of what the outcome added (-1: nothing)."""

    address_index: int = -1
    phone_index: int = -1


def _invalid(violations: list[Violation]) -> Invalid:
    return Invalid([(("body", *v.field.split(".")), v.message) for v in violations])


def check_outcome(
    *, session: Session, user: User, order_id: str, body: OutcomeIn, settings: Settings
) -> str:
    """Returns the task's workflow id if this outcome may be recorded on this order."""
    order, task = order_in_scope(session, user, order_id)
    if order.status != "open":
        raise Conflict(f"the work order is already {order.status}")
    allowed = WORK_ORDER_OUTCOMES.get(order.kind, frozenset())
    if body.outcome not in allowed:
        message = f"a {order.kind} work order takes one of: {', '.join(sorted(allowed))}"
        raise _invalid([Violation("outcome", message)])
    violations = _phone_violations(session, order, body, settings)
    violations += _direct_violations(session, order, task, body)
    violations += _act_violations(order, body)
    if violations:
        raise _invalid(violations)
    return task.workflow_id


def act_time(session: Session, order: WorkOrder, body: OutcomeIn) -> datetime | None:
    """Returns when the act happened: service.at, else `at`, else the last answered call."""
    # None when nothing says: the workflow then takes the time the outcome was recorded.
    if body.service is not None:
        return body.service.at
    if body.at is not None or order.kind != "phone":
        return body.at
    answered = [c.started_at for c in calls_of(session, order.id) if c.result == "answered"]
    return as_utc(answered[-1]) if answered else None


def _act_violations(order: WorkOrder, body: OutcomeIn) -> list[Violation]:
    # The served-on date is the act's (issue 12, item 1): a time outside the order's life is a
    # typing error that would void the judgment, so it is refused before anything is stored.
    field = "service.at" if body.service is not None else "at"
    at = body.service.at if body.service is not None else body.at
    if at is None:
        return []
    if at > datetime.now(UTC) + CLOCK_SKEW:
        return [Violation(field, "the time of the act lies in the future")]
    if at < as_utc(order.created_at) - CLOCK_SKEW:
        return [Violation(field, "the time of the act lies before the work order opened")]
    return []


def _phone_violations(
    session: Session, order: WorkOrder, body: OutcomeIn, settings: Settings
) -> list[Violation]:
    if order.kind != "phone":
        if body.phone is not None:
            return [Violation("phone", "a new number is recorded on a phone work order")]
        return []
    found = []
    if body.service is not None:
        found.append(Violation("service", "a service record belongs to a direct work order"))
    if body.outcome == "unreachable":
        violation = unreachable_violation(
            call_starts(session, order.id),
            min_attempts=settings.call_min_attempts,
            min_periods=settings.call_min_periods,
        )
        found += [violation] if violation else []
    return found


def _direct_violations(
    session: Session, order: WorkOrder, task: ServiceTask, body: OutcomeIn
) -> list[Violation]:
    if order.kind != "direct":
        return []
    party = task.party
    others = session.scalars(select(Party).where(Party.request_id == task.request_id))
    kinds = session.scalars(select(Document.kind).where(Document.request_id == task.request_id))
    media = session.scalar(
        select(func.count())
        .select_from(Evidence)
        .where(Evidence.work_order_id == order.id, Evidence.kind.in_(MEDIA_EVIDENCE))
    )
    return direct_violations(
        body.outcome,
        body.service.model_dump() if body.service else None,
        opposing_names=[p.name for p in others if opposing(party.role, p.role)],
        document_kinds=list(kinds),
        media_evidence=media or 0,
        party_kind=party.kind,
    )


def store_learned(*, session: Session, order_id: str, body: OutcomeIn, ring: KeyRing) -> Learned:
    """Stores the confirmed address, the new number and the service record; returns indexes."""
    order = session.get_one(WorkOrder, order_id)
    party = session.get_one(ServiceTask, order.task_id).party
    address_index = phone_index = -1
    if body.address is not None and body.outcome == "reached_address_confirmed":
        address = (
            body.address if isinstance(body.address, AddressIn) else AddressIn(text=body.address)
        )
        entry: dict[str, Any] = address.stored()
        party.addresses, [address_index] = merge(party.addresses, [entry], key="text")
    if body.phone is not None:
        party.phones, [phone_index] = merge(party.phones, [body.phone])
    details = dict(order.details or {})
    if phone_index >= 0:
        # The close activity keeps this number out of the failures it records for the others.
        details["new_phone_index"] = phone_index
    if address_index >= 0:
        # The close activity marks this address, and only this one, confirmed (recorded call).
        details["confirmed_address_index"] = address_index
    if body.service is not None:
        details["service"] = sealed_record(body, ring)
    details["rule_version"] = WORK_ORDER_RULE_VERSION
    order.details = details
    session.commit()
    return Learned(address_index, phone_index)


def sealed_record(body: OutcomeIn, ring: KeyRing) -> dict[str, Any]:
    """Returns the direct-service record with the place and the names sealed (personal data)."""
    assert body.service is not None
    record = body.service.model_dump(mode="json")
    for key in ("place", "recipient", "witness"):
        if record.get(key):
            record[key] = ring.seal(str(record[key]))
    return record

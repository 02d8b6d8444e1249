"""New contact points for a party: stored first, then announced to its workflow by index."""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.audit.context import audit_user_action
from api.errors import Conflict
from api.requests.service import submitted_coverage
from api.tasks.bodies import ContactsIn, ContactsOut
from api.tasks.control import FINISHED_TASK, readable_task
from api.temporal import TemporalHolder, signal
from domain.pure.ladder import ContactsChanged
from domain.pure.names import SIGNAL_CONTACTS_CHANGED
from domain.store.contacts import legacy_coverage
from domain.tables.core import ServiceTask, User

log = structlog.get_logger(__name__)


def merge(
    existing: list[Any], new: list[Any], key: str | None = None
) -> tuple[list[Any], list[int]]:
    """Returns the list with new entries appended once, and the index of every given entry."""
    merged = list(existing)

    def ident(item: Any) -> Any:
        return item.get(key) if key and isinstance(item, dict) else item

    indexes: list[int] = []
    for item in new:
        known = [i for i, old in enumerate(merged) if ident(old) == ident(item)]
        if not known:
            merged.append(item)
            known = [len(merged) - 1]
        indexes.append(known[0])
    return merged, indexes


def _open_task(session: Session, user: User, task_id: str) -> ServiceTask:
    task = readable_task(session=session, user=user, task_id=task_id)
    if task.status in FINISHED_TASK:
        raise Conflict(f"the task is already {task.status}")
    return task


def store_contacts(
    *, session: Session, user: User, task_id: str, body: ContactsIn
) -> tuple[str, ContactsChanged]:
    """Appends the contacts to the party's record and returns the workflow id and indexes."""
    task = _open_task(session, user, task_id)
    party = task.party
    # Reassigning the lists (not mutating them) is what makes SQLAlchemy see the change.
    before = party.coverage if party.coverage is not None else legacy_coverage(party)
    party.phones, phones = merge(party.phones, body.phone_numbers())
    party.emails, emails = merge(party.emails, body.email_addresses())
    addresses_in = [address.stored() for address in body.addresses]
    party.addresses, addresses = merge(party.addresses, addresses_in, key="text")
    # Covered only by their own consent or confirmation, never by the request's (issue 12, 6).
    indexes = {"phone": phones, "email": emails, "address": addresses}
    if party.coverage is not None or body.marks():
        party.coverage = submitted_coverage(body, before, indexes)
    # Counts only: the contacts themselves are personal data and stay out of the audit.
    counts = {"phones": len(phones), "emails": len(emails), "addresses": len(addresses)}
    audit_user_action(session, user, action="task.contacts_add", target=task_id, detail=counts)
    session.commit()
    return task.workflow_id, ContactsChanged(phones=phones, emails=emails, addresses=addresses)


async def add_contacts(
    *, session: Session, temporal: TemporalHolder, user: User, task_id: str, body: ContactsIn
) -> ContactsOut:
    """Stores new contacts and signals their indexes (all given ones, so a retry re-announces)."""
    await run_in_threadpool(_open_task, session, user, task_id)
    client = await temporal.client()  # before storing: with Temporal down, nothing changes
    workflow_id, changed = await run_in_threadpool(
        store_contacts, session=session, user=user, task_id=task_id, body=body
    )
    delivered = await signal(client, workflow_id, SIGNAL_CONTACTS_CHANGED, changed)
    log.info("task.contacts_added", task_id=task_id, actor_id=user.id, signalled=delivered)
    return ContactsOut(
        task_id=task_id, phones=changed.phones, emails=changed.emails, addresses=changed.addresses
    )

"""Activities for people in the ladder: opening and closing clerks' and bailiffs' work orders."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from domain.address_book.book import record_clerk_outcome
from domain.address_book.work_orders import PHONE_FAILURES, record_new_phone, record_phone_failure
from domain.crypto.keyring import KeyRing
from domain.pure.activity_io import CloseWorkOrderInput, OpenWorkOrderInput
from domain.pure.consent import Mark, with_marks
from domain.tables.core import Party, ServiceRequest, ServiceTask, WorkOrder, utcnow

# Ways an order ends without a clerk's outcome; they are its status too.
UNANSWERED = frozenset({"expired", "cancelled", "skipped", "withdrawn"})


class WorkOrderActivities:
    """Stores work orders so the console and the API can list and answer them."""

    def __init__(self, session_factory: sessionmaker[Session], ring: KeyRing) -> None:
        self.session_factory = session_factory
        self.ring = ring  # seals and finds the address book's values

    @activity.defn
    def open_work_order(self, arg: OpenWorkOrderInput) -> str:
        """Opens the work order once (by its key) and returns its id."""
        with self.session_factory() as session:
            existing = session.scalar(select(WorkOrder).where(WorkOrder.order_key == arg.order_key))
            if existing is not None:
                return existing.id
            task = session.get_one(ServiceTask, arg.task_id)
            request = session.get_one(ServiceRequest, task.request_id)
            order = WorkOrder(
                task_id=task.id,
                order_key=arg.order_key,
                court_code=request.court_code,
                kind=arg.kind,
                status="open",
                due_at=datetime.fromisoformat(arg.due_at),
                note=None,
            )
            session.add(order)
            session.commit()
            return order.id

    @activity.defn
    def close_work_order(self, arg: CloseWorkOrderInput) -> None:
        """Closes the order with its outcome; what the clerk learned goes to the party."""
        with self.session_factory() as session:
            order = session.get_one(WorkOrder, arg.work_order_id)
            if order.status != "open":
                return
            order.status = arg.outcome if arg.outcome in UNANSWERED else "closed"
            order.outcome = arg.outcome
            order.note = arg.note or None
            order.closed_by = arg.actor or None
            order.closed_at = utcnow()
            task = session.get_one(ServiceTask, order.task_id)
            party = task.party
            _mark_clerk_outcome(party, order, arg.outcome)
            # Address book: the clerk's consent, confirmation or failure, with the order.
            request = session.get_one(ServiceRequest, task.request_id)
            new_phone = _new_phone(party, order)
            if arg.outcome in PHONE_FAILURES:
                record_phone_failure(session, self.ring, party, order, keep=new_phone)
            else:
                record_clerk_outcome(
                    session,
                    ring=self.ring,
                    party=party,
                    order=order,
                    case_number=request.case_number,
                    now=order.closed_at,
                )
            if new_phone is not None:
                record_new_phone(session, self.ring, party, new_phone, order.closed_at)
            session.commit()


def _mark_clerk_outcome(party: Party, order: WorkOrder, outcome: str) -> None:
    """Marks what the party consented to or confirmed on the recorded call, and nothing else.

    The consent covers the numbers and e-mails the party has now, the ones the clerk went
    through; one added later is not covered by it. The confirmation covers the address the
    clerk recorded, else the addresses on record (the ones the clerk read out).
    """
    if party.coverage is None:
        # Rows from before migration 0017: their booleans stand for every contact.
        party.consent_electronic |= outcome == "reached_consented"
        party.address_confirmed |= outcome == "reached_address_confirmed"
        return
    call = Mark("recorded_call", "case")
    coverage = party.coverage
    if outcome == "reached_consented":
        coverage = with_marks(coverage, "phone", list(range(len(party.phones or []))), call)
        coverage = with_marks(coverage, "email", list(range(len(party.emails or []))), call)
    elif outcome == "reached_address_confirmed":
        index = (order.details or {}).get("confirmed_address_index")
        every = list(range(len(party.addresses or [])))
        coverage = with_marks(coverage, "address", [index] if index in every else every, call)
    party.coverage = coverage  # a new dict, so SQLAlchemy sees the JSON change


def _new_phone(party: Party, order: WorkOrder) -> str | None:
    """Returns the number the party gave the clerk on this order, if any."""
    index = (order.details or {}).get("new_phone_index")
    phones = list(party.phones or [])
    if not isinstance(index, int) or not 0 <= index < len(phones):
        return None
    return str(phones[index])

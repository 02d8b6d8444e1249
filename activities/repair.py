"""Data repair: asks the telecom operators for the numbers registered to a party.

The three operators are asked in parallel, each with its own timeout and rate limit; every
question is written down with its legal basis (RepairQuery) in the transaction that stores
what was found. Found numbers are sealed at rest; workflows only ever see masked labels.
"""

from __future__ import annotations

from collections.abc import Sequence

import httpx
import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.channels.attempts import AttemptLog
from activities.repair_operators import HttpOperatorAdapter, Lookup, OperatorAnswer, OperatorPanel
from domain.address_book.points import identity_of, upsert_point
from domain.crypto.keyring import KeyRing
from domain.identity import InvalidIdentity, normalize_mobile
from domain.pure.activity_io import RepairInput, RepairResult, SendInput
from domain.pure.ladder import Contact
from domain.pure.masking import mask_phone
from domain.pure.operators import ANSWERED, OPERATORS, legal_basis
from domain.store.contacts import repaired_numbers
from domain.tables.core import Attempt, Party, RepairQuery, ServiceRequest, ServiceTask, utcnow

log = structlog.get_logger(__name__)

PROVIDER = "telecom-operators"  # the Attempt row's provider: one attempt covers every operator
ANSWERED_STATUS = "answered"


class RepairActivities:
    """Queries the operators; found numbers are stored on the party with source `repaired`."""

    def __init__(
        self,
        http: httpx.Client,
        session_factory: sessionmaker[Session],
        ring: KeyRing,
        base_url: str,
        operators: Sequence[str] = OPERATORS,
        timeout: float = 2.0,
        rate_per_minute: int = 30,
    ) -> None:
        self.session_factory = session_factory
        self.ring = ring
        adapters = [HttpOperatorAdapter(name, http, base_url) for name in operators]
        self.panel = OperatorPanel(adapters, timeout, rate_per_minute)
        self.attempts = AttemptLog(session_factory, PROVIDER)

    @activity.defn
    def repair_numbers(self, arg: RepairInput) -> RepairResult:
        """Looks up the party's real-name numbers at every operator; returns them masked."""
        if self.attempts.status(arg.reference) == ANSWERED_STATUS:
            # A retried activity whose operators already answered: asking again would repeat
            # a query of personal data without need, so the stored result is the answer.
            return RepairResult(self._stored(arg.task_id))
        lookup = self._lookup(arg)
        if lookup is None:
            log.info("repair.skipped", task_id=arg.task_id, reason="no ID number to look up")
            return RepairResult(self._stored(arg.task_id))
        contact = Contact("repair", 0, "operators")
        self.attempts.begin(SendInput(arg.task_id, "repair", contact, arg.reference, 0.0), "repair")
        answers = self.panel.ask_all(lookup)
        for answer in answers:
            log.info(
                "repair.query",
                task_id=arg.task_id,
                operator=answer.operator,
                outcome=answer.outcome,
                found=len(answer.numbers),
            )
        contacts = self._record(arg, lookup.case_number, answers)
        if not any(answer.outcome in ANSWERED for answer in answers):
            raise ApplicationError(
                "no telecom operator answered the lookup (down, slow or over its rate limit); "
                "the repair is tried again",
                type="OperatorsUnavailable",
            )
        return RepairResult(contacts)

    def _lookup(self, arg: RepairInput) -> Lookup | None:
        with self.session_factory() as session:
            task = session.get_one(ServiceTask, arg.task_id)
            request = session.get_one(ServiceRequest, task.request_id)
            party = task.party
            if not party.id_number:
                return None
            return Lookup(
                name=party.name,
                id_number=party.id_number,
                case_number=request.case_number,
                legal_basis=legal_basis(request.case_number),
                reference=arg.reference,
            )

    def _record(
        self, arg: RepairInput, case_number: str, answers: list[OperatorAnswer]
    ) -> list[Contact]:
        """Writes the queries, the found numbers and the attempt's state in one transaction."""
        answered = any(answer.outcome in ANSWERED for answer in answers)
        with self.session_factory() as session:
            task = session.get_one(ServiceTask, arg.task_id)
            for answer in answers:
                session.add(
                    RepairQuery(
                        task_id=task.id,
                        operator=answer.operator,
                        case_number=case_number,
                        legal_basis=legal_basis(case_number),
                        outcome=answer.outcome,
                        found=len(answer.numbers),
                    )
                )
            added = self._merge(task.party, answers) if answered else 0
            if added:
                self._enter_book(session, task.party)
            outcomes = ",".join(f"{a.operator}={a.outcome}" for a in answers)
            status = ANSWERED_STATUS if answered else "retrying"
            _mark(session, arg.reference, status, {"outcomes": outcomes, "added": str(added)})
            session.commit()
            return _masked(repaired_numbers(task.party, self.ring))

    def _enter_book(self, session: Session, party: Party) -> None:
        """Puts the repaired numbers in the address book with source `repaired`, sealed."""
        identity = identity_of(session, ring=self.ring, party=party)
        if identity is None:
            return
        now = utcnow()
        for number in repaired_numbers(party, self.ring):
            upsert_point(
                session,
                ring=self.ring,
                identity=identity,
                kind="phone",
                value=number,
                source="repaired",
                now=now,
            )

    def _merge(self, party: Party, answers: list[OperatorAnswer]) -> int:
        """Adds the numbers the party's record does not hold yet, sealed; returns how many."""
        known = {_normalized(str(p)) for p in party.phones}
        known.update(repaired_numbers(party, self.ring))
        stored = list(party.repaired_phones)
        for answer in answers:
            for number in answer.numbers:
                if number not in known:
                    known.add(number)
                    stored.append(self.ring.seal(number))
        added = len(stored) - len(party.repaired_phones)
        # Reassigned, not appended to: the JSON column sees only a new list as a change.
        party.repaired_phones = stored
        return added

    def _stored(self, task_id: str) -> list[Contact]:
        with self.session_factory() as session:
            party = session.get_one(ServiceTask, task_id).party
            return _masked(repaired_numbers(party, self.ring))


def _masked(numbers: list[str]) -> list[Contact]:
    return [Contact("phone", i, mask_phone(n), False, "repaired") for i, n in enumerate(numbers)]


def _normalized(value: str) -> str:
    try:
        return normalize_mobile(value)
    except InvalidIdentity:
        return value


def _mark(session: Session, reference: str, status: str, detail: dict[str, str]) -> None:
    """Sets the attempt's state in the caller's transaction, so it commits with the results."""
    attempt = session.scalar(select(Attempt).where(Attempt.idempotency_key == reference))
    if attempt is not None:
        attempt.status = status
        attempt.detail = {**attempt.detail, "last": detail}
        attempt.updated_at = utcnow()

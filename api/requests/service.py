"""Service requests: submission (validated, idempotent, healed), listing and reading."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

import structlog
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker
from starlette.concurrency import run_in_threadpool

from api.access.auth import may_read_request
from api.audit.context import audit_user_action
from api.errors import Forbidden, Invalid, NotFound
from api.requests.bodies import (
    ContactPointsIn,
    CourtIn,
    PartyIn,
    RequestListOut,
    RequestOut,
    SubmissionIn,
)
from api.requests.callbacks import callback_errors
from api.requests.starter import ensure_started, workflow_input
from api.requests.validation import check_submission
from api.requests.views import request_out, stored_request_out
from api.temporal import TemporalHolder
from domain.faults import crash_at
from domain.pure.consent import with_marks
from domain.pure.names import party_workflow_id
from domain.settings import Settings
from domain.store.calendar_store import load_calendar
from domain.store.documents import DocumentStore
from domain.tables.core import (
    Court,
    Document,
    Party,
    ServiceRequest,
    ServiceTask,
    User,
    new_id,
)

log = structlog.get_logger(__name__)


def find_request(*, session: Session, client_id: str, external_id: str) -> ServiceRequest | None:
    """Returns the client's request with this external id, if any."""
    query = select(ServiceRequest).where(
        ServiceRequest.client_id == client_id, ServiceRequest.external_id == external_id
    )
    return session.scalar(query)


def _party_row(request_id: str, position: int, party: PartyIn) -> Party:
    return Party(
        id=new_id(),
        request_id=request_id,
        position=position,
        ref=party.ref,
        name=party.name,
        kind=party.kind,
        role=party.role,
        id_number=party.id_number,
        credit_code=party.credit_code,
        licence_number=party.licence_number,
        foreign=party.foreign or party.residence == "abroad",
        residence="abroad" if party.foreign and party.residence == "mainland" else party.residence,
        phones=party.phone_numbers(),
        emails=party.email_addresses(),
        addresses=[address.stored() for address in party.addresses],
        consent_electronic=party.consent_electronic,
        address_confirmed=party.address_confirmed,
        coverage=submitted_coverage(party),
    )


def submitted_coverage(
    contacts: ContactPointsIn,
    coverage: dict[str, Any] | None = None,
    indexes: dict[str, list[int]] | None = None,
) -> dict[str, Any]:
    """Returns the coverage with the contacts the body consented at or confirmed marked.

    `indexes` maps each kind's positions in the body to indexes in the party's record (new
    contacts join the end of its lists); without it they are the same.
    """
    result = dict(coverage or {"phone": {}, "email": {}, "address": {}})
    for kind, position, mark in contacts.marks():
        index = indexes[kind][position] if indexes else position
        result = with_marks(result, kind, [index], mark)
    return result


def _request_row(user: User, body: SubmissionIn) -> ServiceRequest:
    clock = body.plan.clock
    seconds = clock.seconds_per_day if clock.mode == "accelerated" else 86400.0
    return ServiceRequest(
        id=new_id(),
        client_id=user.id,
        external_id=body.external_id,
        court_code=body.court.code,
        case_number=body.case.number,
        cause=body.case.cause,
        procedure=body.case.procedure,
        handler=body.case.handler,
        callback_url=body.callback_url,
        clock={"mode": clock.mode, "seconds_per_day": seconds},
        hearing_at=body.hearing_at,
        accepted_on=body.accepted_on,
        pronounced_on=body.pronounced_on,
        status="in_progress",
        workflow_started=False,
    )


# The courts each database holds, by engine. A court is stored once and never changed, so a
# submission for a court stored before needs no look-up; an entry proven wrong (the insert
# fails) is dropped and the court looked up again.
_known_courts: WeakKeyDictionary[Any, dict[str, str]] = WeakKeyDictionary()


@dataclass(frozen=True)
class Stored:
    """A submission's request; when created, its rows are in memory and its court's name known."""

    request: ServiceRequest
    created: bool
    court_name: str = ""


def _court_name(session: Session, court: CourtIn) -> str:
    """Returns the stored court's name; a new court is added (and flushed first)."""
    known = _known_courts.setdefault(session.get_bind(), {})
    if court.code in known:
        return known[court.code]
    stored = session.get(Court, court.code)
    if stored is not None:
        return stored.name
    session.add(Court(code=court.code, name=court.name))
    session.flush()  # no relationship orders courts before requests: insert it first
    return court.name


def insert_request(
    *, session: Session, store: DocumentStore, user: User, body: SubmissionIn
) -> Stored:
    """Stores the court (if new), request, documents, parties, tasks and audit entry at once.

    One flush sends every row; a client's external id used before fails it (IntegrityError)
    before any file is written. The files follow, then the commit. The request returned has
    its documents, parties and tasks in memory, so neither the answer nor the workflow's input
    reads them back.
    """
    court_name = _court_name(session, body.court)
    request = _request_row(user, body)
    request.documents = [
        Document(
            request_id=request.id, position=position, kind=doc.kind, title=doc.title,
            media_type=doc.media_type, sha256=hashlib.sha256(doc.content_base64).hexdigest(),
            bytes=len(doc.content_base64),
        )
        for position, doc in enumerate(body.documents)
    ]  # fmt: skip
    request.parties = [_party_row(request.id, i, party) for i, party in enumerate(body.parties)]
    request.tasks = [
        ServiceTask(
            request_id=request.id, party_id=party.id, party=party, position=party.position,
            party_ref=party.ref, workflow_id=party_workflow_id(request.id, party.ref),
            status="pending",
        )
        for party in request.parties
    ]  # fmt: skip
    session.add(request)
    # In the same transaction: a stored request always has its audit entry, and vice versa.
    audit_user_action(
        session, user, action="request.submit", target=request.id, court_code=body.court.code,
        detail={"external_id": body.external_id, "parties": len(body.parties)},
    )  # fmt: skip
    session.flush()
    # Files only once the rows are accepted; content addressing makes a write for a
    # transaction that fails later harmless.
    for doc in body.documents:
        store.put(doc.content_base64)
    session.commit()
    _known_courts.setdefault(session.get_bind(), {})[body.court.code] = court_name
    return Stored(request, True, court_name)


def store_submission(
    *, session: Session, store: DocumentStore, settings: Settings, user: User, body: SubmissionIn
) -> Stored:
    """Stores a valid new submission; on a repeated external id, the earlier request instead.

    The unique (client, external id) constraint answers the idempotency question in the
    insert itself. A repeat is answered with the earlier request even when the body would be
    refused now, as before: a refused body looks for an earlier request before refusing.
    """
    errors = check_submission(body, settings)
    errors += callback_errors(body.callback_url, account=user.name, settings=settings)
    if errors:
        existing = find_request(session=session, client_id=user.id, external_id=body.external_id)
        if existing is not None:
            return Stored(existing, False)
        raise Invalid(errors)
    for _ in range(2):  # the second round covers a court inserted concurrently
        try:
            return insert_request(session=session, store=store, user=user, body=body)
        except IntegrityError:
            session.rollback()
            _known_courts.get(session.get_bind(), {}).pop(body.court.code, None)
            existing = find_request(
                session=session, client_id=user.id, external_id=body.external_id
            )
            if existing is not None:
                return Stored(existing, False)
    raise RuntimeError("the request could not be stored after a concurrent insert")


def _view(session: Session, request_id: str) -> RequestOut:
    return request_out(session, session.get_one(ServiceRequest, request_id))


def _has_case_date(request: ServiceRequest) -> bool:
    return any(
        d is not None for d in (request.hearing_at, request.accepted_on, request.pronounced_on)
    )


async def submit_request(
    *,
    session: Session,
    factory: sessionmaker[Session],
    store: DocumentStore,
    temporal: TemporalHolder,
    settings: Settings,
    user: User,
    body: SubmissionIn,
) -> tuple[RequestOut, bool]:
    """Validates, stores and starts a request; returns its view and whether it is new."""
    if user.court_code is not None and user.court_code != body.court.code:
        raise Forbidden("you may submit only for your own court")
    stored = await run_in_threadpool(
        store_submission, session=session, store=store, settings=settings, user=user, body=body
    )
    request = stored.request
    log.info("request.submitted", request_id=request.id, created=stored.created)
    if not request.workflow_started:
        crash_at("intake.after_store")  # development fault hook: the healer must start it
        # A failed start is logged and left to the healer; the request itself is safe.
        await ensure_started(
            factory=factory, temporal=temporal, settings=settings, request_id=request.id,
            spec=workflow_input(request) if stored.created else None,
        )  # fmt: skip
    if not stored.created:
        return await run_in_threadpool(_view, session, request.id), False
    # Built from the rows just stored; the calendar is read only for a request with case dates.
    calendar = await run_in_threadpool(load_calendar, session) if _has_case_date(request) else None
    return stored_request_out(request, stored.court_name, calendar), True


def list_requests(
    *, session: Session, user: User, external_id: str | None, limit: int, offset: int
) -> RequestListOut:
    """Returns a page of the caller's own requests, newest first."""
    where = [ServiceRequest.client_id == user.id]
    if external_id is not None:
        where.append(ServiceRequest.external_id == external_id)
    total = session.scalar(select(func.count()).select_from(ServiceRequest).where(*where)) or 0
    query = (
        select(ServiceRequest)
        .where(*where)
        .order_by(ServiceRequest.created_at.desc(), ServiceRequest.id.desc())
        .limit(limit)
        .offset(offset)
        .options(selectinload(ServiceRequest.tasks))
    )
    items = [request_out(session, request) for request in session.scalars(query)]
    return RequestListOut(items=items, total=total, limit=limit, offset=offset)


def readable_request(*, session: Session, user: User, request_id: str) -> ServiceRequest:
    """Returns the request if the caller may see it; NotFound otherwise (no existence leak)."""
    request = session.get(ServiceRequest, request_id)
    if request is None or not may_read_request(
        user, client_id=request.client_id, court_code=request.court_code
    ):
        raise NotFound("no such service request")
    return request


def get_request(*, session: Session, user: User, request_id: str) -> RequestOut:
    """Returns one request the caller may see."""
    return request_out(session, readable_request(session=session, user=user, request_id=request_id))

"""Service requests: submission (validated, idempotent, healed), listing and reading."""

from __future__ import annotations

from typing import Any

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
    PartyIn,
    RequestListOut,
    RequestOut,
    SubmissionIn,
)
from api.requests.callbacks import callback_errors
from api.requests.starter import ensure_started
from api.requests.validation import check_submission
from api.requests.views import request_out
from api.temporal import TemporalHolder
from domain.faults import crash_at
from domain.pure.consent import with_marks
from domain.pure.names import party_workflow_id
from domain.settings import Settings
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


def insert_request(
    *, session: Session, user: User, body: SubmissionIn, digests: list[str]
) -> ServiceRequest:
    """Inserts the court (if new), request, documents, parties and tasks in one transaction."""
    if session.get(Court, body.court.code) is None:
        session.add(Court(code=body.court.code, name=body.court.name))
        session.flush()  # no relationship orders courts before requests: insert it first
    request = _request_row(user, body)
    rows: list[Any] = [request]
    for position, (doc, digest) in enumerate(zip(body.documents, digests, strict=True)):
        rows.append(Document(
            request_id=request.id, position=position, kind=doc.kind, title=doc.title,
            media_type=doc.media_type, sha256=digest, bytes=len(doc.content_base64),
        ))  # fmt: skip
    for position, party_in in enumerate(body.parties):
        party = _party_row(request.id, position, party_in)
        rows.append(party)
        rows.append(ServiceTask(
            request_id=request.id, party_id=party.id, position=position, party_ref=party.ref,
            workflow_id=party_workflow_id(request.id, party.ref), status="pending",
        ))  # fmt: skip
    session.add_all(rows)
    # In the same transaction: a stored request always has its audit entry, and vice versa.
    audit_user_action(
        session, user, action="request.submit", target=request.id, court_code=body.court.code,
        detail={"external_id": body.external_id, "parties": len(body.parties)},
    )  # fmt: skip
    session.commit()
    return request


def store_submission(
    *, session: Session, store: DocumentStore, settings: Settings, user: User, body: SubmissionIn
) -> tuple[ServiceRequest, bool]:
    """Stores a valid new submission; returns (request, created), the earlier one on a repeat."""
    existing = find_request(session=session, client_id=user.id, external_id=body.external_id)
    if existing is not None:
        return existing, False
    errors = check_submission(body, settings)
    errors += callback_errors(body.callback_url, account=user.name, settings=settings)
    if errors:
        raise Invalid(errors)
    # Files only after validation; content addressing makes a write for a lost race harmless.
    digests = [store.put(doc.content_base64) for doc in body.documents]
    for _ in range(2):  # the second round covers a court inserted concurrently
        try:
            return insert_request(session=session, user=user, body=body, digests=digests), True
        except IntegrityError:
            session.rollback()
            existing = find_request(
                session=session, client_id=user.id, external_id=body.external_id
            )
            if existing is not None:
                return existing, False
    raise RuntimeError("the request could not be stored after a concurrent insert")


def _view(session: Session, request_id: str) -> RequestOut:
    return request_out(session, session.get_one(ServiceRequest, request_id))


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
    request, created = await run_in_threadpool(
        store_submission, session=session, store=store, settings=settings, user=user, body=body
    )
    log.info("request.submitted", request_id=request.id, created=created)
    if not request.workflow_started:
        crash_at("intake.after_store")  # development fault hook: the healer must start it
        # A failed start is logged and left to the healer; the request itself is safe.
        await ensure_started(
            factory=factory, temporal=temporal, settings=settings, request_id=request.id
        )
    return await run_in_threadpool(_view, session, request.id), created


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

"""Click-to-call through the virtual line, and fetching what a call left: record and recording.

A call placed here is a CallAttempt (source cti) with no result yet; fetching it once it ended
fills in the result and attaches the recording. The fill-in is a conditional update on "no
result yet", so two fetchers racing (the route and the background loop, or a retry after a
crash) attach the call and its recording exactly once.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import structlog
from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from api.access.auth import CLERK, as_utc
from api.calls.bodies import CallStartOut, LineCallOut
from api.calls.cti import CallRecord, CtiAdapter, CtiUnavailable, CtiUnknownCall, adapter_for
from api.errors import Conflict, Invalid, NotFound, Unavailable
from api.evidence.access import OrderContext, add_event, audit, load_order, order_for_handler
from api.evidence.service import attach, evidence_out
from domain.crypto.keyring import KeyRing
from domain.pure.masking import mask_phone
from domain.pure.media_types import accepted_for, extension, sniff
from domain.settings import Settings
from domain.store.contacts import repaired_numbers
from domain.store.documents import DocumentStore
from domain.tables.core import Party, User, new_id, utcnow
from domain.tables.people import CallAttempt, Evidence

log = structlog.get_logger(__name__)


def numbers_of(party: Party, ring: KeyRing) -> list[str]:
    """Returns the numbers a clerk may dial, in the order the work-order list shows them."""
    return [str(phone) for phone in party.phones] + repaired_numbers(party, ring)


def _dialable(session: Session, user: User, order_id: str) -> OrderContext:
    ctx = order_for_handler(session, user, order_id)
    if ctx.order.kind != "phone":
        raise Conflict("calls are placed on phone work orders only")
    if ctx.order.status != "open":
        raise Conflict(f"the work order is already {ctx.order.status}")
    held_by = ctx.order.assignee_id
    if user.role == CLERK and held_by is not None and held_by != user.id:
        raise Conflict("another clerk holds this work order")
    return ctx


def start_call(
    *,
    session: Session,
    settings: Settings,
    user: User,
    order_id: str,
    phone_index: int = 0,
    cti: CtiAdapter | None = None,
) -> CallStartOut:
    """Dials the party from the clerk's extension (the user's name); returns the call id."""
    ctx = _dialable(session, user, order_id)
    numbers = numbers_of(ctx.task.party, settings.key_ring)
    if not numbers:
        raise Conflict("no number is known for the party; record the outcome by hand")
    if phone_index >= len(numbers):
        message = f"phone_index: the party has {len(numbers)} number(s), counted from 0"
        raise Invalid([(("body", "phone_index"), message)])
    number = numbers[phone_index]
    line = cti or adapter_for(settings)
    try:
        call_id = line.dial(agent=user.name, number=number, reference=ctx.order.id)
    except (CtiUnavailable, CtiUnknownCall) as exc:
        raise Unavailable("the phone line cannot be reached; try again shortly") from exc
    attempt = CallAttempt(
        work_order_id=ctx.order.id, result=None, started_at=utcnow(), source="cti",
        cti_call_id=call_id, actor_id=user.id,
    )  # fmt: skip
    session.add(attempt)
    detail = {"call_id": call_id, "number": mask_phone(number), "agent": user.name}
    add_event(session, ctx, f"call-placed:{call_id}", "call_placed", detail)
    audit(session, user, ctx, action="call.start", target=f"call:{call_id}", detail=detail)
    session.commit()
    log.info("call.started", call_id=call_id, work_order_id=ctx.order.id, actor_id=user.id)
    return CallStartOut(call_id=call_id, work_order_id=ctx.order.id, number=mask_phone(number))


def call_out(session: Session, attempt: CallAttempt, state: str = "fetched") -> LineCallOut:
    """Returns a call attempt as the API shows it, with its recording's evidence row."""
    recording = None
    if attempt.recording_evidence_id:
        row = session.get(Evidence, attempt.recording_evidence_id)
        recording = evidence_out(row) if row is not None else None
    fetched = attempt.result is not None

    def moment(value: datetime | None) -> datetime | None:
        return as_utc(value) if value is not None else None

    return LineCallOut(
        call_id=attempt.cti_call_id or "", work_order_id=attempt.work_order_id, fetched=fetched,
        state="fetched" if fetched else state, result=attempt.result,
        started_at=moment(attempt.started_at), ended_at=moment(attempt.ended_at),
        duration_seconds=attempt.duration_seconds, recording=recording,
    )  # fmt: skip


def _stored_recording(
    content: bytes | None, store: DocumentStore, settings: Settings, call_id: str
) -> tuple[str, str, int] | None:
    if not content:
        return None
    media_type = sniff(content)
    if (
        media_type not in accepted_for("recording")
        or len(content) > settings.evidence_limits["recording"]
    ):
        log.warning("call.recording_refused", call_id=call_id, bytes=len(content))
        return None
    store.put(content)  # content-addressed and idempotent: a retry finds it there
    return media_type, hashlib.sha256(content).hexdigest(), len(content)


def _claim(
    session: Session, attempt: CallAttempt, record: CallRecord, evidence_id: str | None
) -> bool:
    values: dict[str, Any] = {
        "result": (record.result or record.state)[:32],
        "ended_at": record.ended_at or datetime.now(UTC),
        "duration_seconds": record.duration_seconds,
        "recording_evidence_id": evidence_id,
    }
    if record.started_at is not None:
        values["started_at"] = record.started_at
    statement = (
        update(CallAttempt)
        .where(CallAttempt.id == attempt.id, CallAttempt.result.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], session.execute(statement)).rowcount == 1


def _find(session: Session, call_id: str, order_id: str | None) -> CallAttempt:
    attempt = session.scalar(select(CallAttempt).where(CallAttempt.cti_call_id == call_id))
    if attempt is None or (order_id is not None and attempt.work_order_id != order_id):
        raise NotFound("no such call on this work order")
    return attempt


def fetch_call(
    *,
    session: Session,
    store: DocumentStore,
    settings: Settings,
    call_id: str,
    user: User | None = None,
    order_id: str | None = None,
    cti: CtiAdapter | None = None,
) -> LineCallOut:
    """Fetches an ended call's record and recording and attaches them to its work order, once.

    With a user (the route or the console) the order must be theirs; without one it is the
    background fetcher. A call still going on is returned with fetched false.
    """
    if user is not None and order_id is not None:
        order_for_handler(session, user, order_id)
    attempt = _find(session, call_id, order_id)
    if attempt.result is not None:
        return call_out(session, attempt)
    line = cti or adapter_for(settings)
    session.rollback()  # no transaction stays open while the line is asked (up to seconds)
    try:
        record = line.call_record(call_id)
        if not record.ended:
            return call_out(session, attempt, state=record.state)
        stored = _stored_recording(line.recording(call_id), store, settings, call_id)
    except CtiUnknownCall:
        raise Conflict("the phone line does not know this call (any more)") from None
    except CtiUnavailable as exc:
        raise Unavailable("the phone line cannot be reached; try again shortly") from exc
    _attach_call(session, attempt, record, stored, user)
    session.expire_all()
    return call_out(session, _find(session, call_id, None))


def _attach_call(
    session: Session,
    attempt: CallAttempt,
    record: CallRecord,
    stored: tuple[str, str, int] | None,
    user: User | None,
) -> None:
    ctx = load_order(session, attempt.work_order_id)
    evidence_id = new_id() if stored is not None else None
    if not _claim(session, attempt, record, evidence_id):
        session.rollback()  # another fetcher attached it first
        return
    cti_id = attempt.cti_call_id or ""
    if stored is not None:
        media_type, digest, size = stored
        row = attach(
            session, ctx, user=user, kind="recording", media_type=media_type, digest=digest,
            size=size, filename=f"call-{cti_id}.{extension(media_type)}", evidence_id=evidence_id,
        )  # fmt: skip
        row.uploaded_by = attempt.actor_id
    detail: dict[str, Any] = {"call_id": cti_id, "result": record.result, "source": "cti"}
    detail |= {"duration_seconds": record.duration_seconds, "recording_evidence_id": evidence_id}
    add_event(session, ctx, f"call:{cti_id}", "call", detail)
    audit(session, user, ctx, action="call.fetch", target=f"call:{cti_id}", detail=detail)
    session.commit()
    log.info("call.fetched", call_id=cti_id, result=record.result, recording=stored is not None)


def pending_call_ids(session: Session, limit: int = 100, max_age_hours: int = 48) -> list[str]:
    """Returns the ids of calls placed through the line whose record is not fetched yet."""
    query = (
        select(CallAttempt.cti_call_id, CallAttempt.created_at)
        .where(
            CallAttempt.source == "cti",
            CallAttempt.result.is_(None),
            CallAttempt.cti_call_id.is_not(None),
        )
        .order_by(CallAttempt.created_at)
        .limit(limit)
    )
    # A call the line never finishes is given up after a while instead of asked about forever.
    since = datetime.now(UTC) - timedelta(hours=max_age_hours)
    rows = session.execute(query).all()
    return [call_id for call_id, created in rows if call_id and as_utc(created) >= since]

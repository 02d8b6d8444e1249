"""Provider events: replay-checked, forwarded to the task's workflow, then recorded."""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.audit.context import audit_call
from api.errors import Forbidden, Unavailable
from api.providers.bodies import ProviderAckOut, ProviderEventIn
from api.temporal import TemporalHolder, signal
from domain.faults import crash_at
from domain.pure.ladder import ProviderEvent
from domain.pure.names import SIGNAL_PROVIDER_EVENT, is_flash_reference
from domain.pure.postal import UnknownTrackingStatus, map_tracking
from domain.pure.providers import POST, PROVIDERS
from domain.tables.core import Attempt, ProviderEventReceipt, ServiceTask, utcnow

log = structlog.get_logger(__name__)


def seen_before(*, session: Session, provider: str, event_id: str) -> bool:
    """Tells whether this provider's event was accepted already."""
    query = select(ProviderEventReceipt.id).where(
        ProviderEventReceipt.provider == provider, ProviderEventReceipt.event_id == event_id
    )
    return session.scalar(query) is not None


# An SMS attempt names its provider once the send returns; until then it reads "failover".
UNSETTLED_PROVIDER = "failover"


def workflow_for_reference(*, session: Session, reference: str) -> str | None:
    """Returns the workflow id of the task whose attempt carries this idempotency key."""
    query = (
        select(ServiceTask.workflow_id)
        .join(Attempt, Attempt.task_id == ServiceTask.id)
        .where(Attempt.idempotency_key == reference)
    )
    return session.scalar(query)


def owned_workflow(*, session: Session, provider: str, reference: str) -> str | None:
    """Returns the attempt's workflow id when the attempt is this provider's, else refuses."""
    query = (
        select(ServiceTask.workflow_id, Attempt.provider)
        .join(Attempt, Attempt.task_id == ServiceTask.id)
        .where(Attempt.idempotency_key == reference)
    )
    row = session.execute(query).first()
    if row is None:
        return None
    workflow_id, owner = row
    if owner == provider:
        return str(workflow_id)
    if owner == UNSETTLED_PROVIDER:
        # The receipt overtook the send's answer: the provider retries in a moment.
        raise Unavailable("the attempt is not recorded as sent yet; retry shortly")
    record_refusal(session=session, provider=provider, why="attempt of another provider")
    raise Forbidden(f"the attempt reference does not belong to {provider}")


def record_event(
    *, session: Session, provider: str, event: ProviderEventIn, raw: dict[str, Any]
) -> bool:
    """Stores the receipt and updates the attempt in one transaction; False for a replay."""
    session.add(ProviderEventReceipt(provider=provider, event_id=event.event_id, body=raw))
    attempt = session.scalar(select(Attempt).where(Attempt.idempotency_key == event.reference))
    if attempt is not None:
        detail = dict(attempt.detail or {})
        detail["events"] = [*detail.get("events", []), raw]
        attempt.detail = detail  # a new dict, so SQLAlchemy sees the JSON change
        attempt.status = event.kind
        attempt.updated_at = utcnow()
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # the same event raced in concurrently and was recorded there
        return False
    return True


def record_refusal(*, session: Session, provider: str, why: str = "signature") -> None:
    """Audits a refused event: bad signature (forgery, replay), foreign kind or attempt."""
    audit_call(
        session, actor=f"provider:{provider}", role="provider", action="provider.event",
        target=provider, outcome="refused", detail={"why": why},
    )  # fmt: skip
    session.commit()


def _signal_arg(provider: str, event: ProviderEventIn) -> ProviderEvent:
    detail = {str(key): str(value) for key, value in event.detail.items()}
    kind = event.kind
    if PROVIDERS[provider].channel == POST:
        # Post offices speak in their own statuses; the ladder needs their legal meaning.
        tracking = map_tracking(kind, detail.get("reason", ""))
        kind = tracking.kind
        if tracking.reason:
            detail["reason"] = tracking.reason
    return ProviderEvent(
        reference=event.reference,
        kind=kind,
        occurred_at=event.occurred_at.isoformat(),
        detail=detail,
    )


async def accept_event(
    *,
    session: Session,
    temporal: TemporalHolder,
    provider: str,
    event: ProviderEventIn,
    raw: dict[str, Any],
) -> ProviderAckOut:
    """Forwards a verified event to its workflow first, then records it (503 on the way)."""
    if await run_in_threadpool(
        seen_before, session=session, provider=provider, event_id=event.event_id
    ):
        return ProviderAckOut(accepted=True, duplicate=True)
    workflow_id = await run_in_threadpool(
        owned_workflow, session=session, provider=provider, reference=event.reference
    )
    if workflow_id is None:
        log.warning("provider.unknown_reference", provider=provider, event_id=event.event_id)
        return ProviderAckOut(accepted=False)
    if is_flash_reference(event.reference):
        # A flash reminder never serves and the ladder waits only for the service message's
        # report: the report is kept as evidence, the party's workflow is not woken for it.
        fresh = await run_in_threadpool(
            record_event, session=session, provider=provider, event=event, raw=raw
        )
        return ProviderAckOut(accepted=True, duplicate=not fresh)
    # Signal before recording: if Temporal is down we answer 503 with nothing stored, so the
    # provider retries; a repeated signal is harmless because the workflow de-duplicates.
    try:
        argument = _signal_arg(provider, event)
    except UnknownTrackingStatus:
        log.warning("provider.unknown_status", provider=provider, event_id=event.event_id)
        return ProviderAckOut(accepted=False)
    crash_at("webhook.before_signal")  # development fault hooks: the provider retries
    client = await temporal.client()
    running = await signal(client, workflow_id, SIGNAL_PROVIDER_EVENT, argument)
    crash_at("webhook.after_signal")
    fresh = await run_in_threadpool(
        record_event, session=session, provider=provider, event=event, raw=raw
    )
    log.info(
        "provider.event_accepted",
        provider=provider,
        kind=event.kind,
        workflow_running=running,
        duplicate=not fresh,
    )
    return ProviderAckOut(accepted=True, duplicate=not fresh)

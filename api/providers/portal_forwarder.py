"""Store-and-forward from the portal: its receipts become provider events of the workflows."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from api.errors import Unavailable
from api.providers.service import workflow_for_reference
from api.temporal import TemporalHolder, signal
from domain.faults import crash_at
from domain.pure.ladder import ProviderEvent
from domain.pure.names import SIGNAL_PROVIDER_EVENT
from domain.tables.core import PortalPublication, PortalReceipt, utcnow

FORWARDED_KINDS = ("opened", "identity_passed", "viewed", "downloaded", "confirmed")
FORWARD_INTERVAL_SECONDS = 1.0

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Pending:
    """A receipt to forward: where it goes and what to say, or None when nobody listens."""

    receipt_id: str
    workflow_id: str | None
    event: ProviderEvent
    repeat: bool  # the workflow keeps one event per reference and kind: a repeat adds nothing


def _occurred_at(receipt: PortalReceipt) -> str:
    moment = receipt.at
    # SQLite hands back naive times; they were stored in UTC.
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _already_forwarded(session: Session, receipt: PortalReceipt) -> bool:
    query = select(PortalReceipt.id).where(
        PortalReceipt.publication_id == receipt.publication_id,
        PortalReceipt.kind == receipt.kind,
        PortalReceipt.forwarded_at.is_not(None),
    )
    return session.scalar(query.limit(1)) is not None


def pending_receipts(session: Session, batch: int) -> list[Pending]:
    """Returns the oldest receipts not forwarded yet, each with its workflow and event."""
    query = (
        select(PortalReceipt, PortalPublication.reference)
        .join(PortalPublication, PortalPublication.id == PortalReceipt.publication_id)
        .where(PortalReceipt.forwarded_at.is_(None), PortalReceipt.kind.in_(FORWARDED_KINDS))
        .order_by(PortalReceipt.at, PortalReceipt.id)
        .limit(batch)
    )
    found: list[Pending] = []
    seen: set[tuple[str, str]] = set()
    for receipt, reference in session.execute(query).all():
        detail = {"source": "portal", "receipt_id": receipt.id}
        if receipt.document_sha256:
            detail["document_sha256"] = receipt.document_sha256
        key = (receipt.publication_id, receipt.kind)
        repeat = key in seen or _already_forwarded(session, receipt)
        seen.add(key)
        event = ProviderEvent(reference, receipt.kind, _occurred_at(receipt), detail)
        workflow_id = workflow_for_reference(session=session, reference=reference)
        found.append(Pending(receipt.id, workflow_id, event, repeat))
    return found


def mark_forwarded(session: Session, receipt_ids: list[str]) -> None:
    """Sets forwarded_at on the receipts that reached their workflow."""
    if not receipt_ids:
        return
    at = utcnow()
    for receipt in session.scalars(select(PortalReceipt).where(PortalReceipt.id.in_(receipt_ids))):
        receipt.forwarded_at = at
    session.commit()


def _pending(factory: sessionmaker[Session], batch: int) -> list[Pending]:
    with factory() as session:
        return pending_receipts(session, batch)


def _mark(factory: sessionmaker[Session], receipt_ids: list[str]) -> None:
    with factory() as session:
        mark_forwarded(session, receipt_ids)


async def _deliver(temporal: TemporalHolder, item: Pending) -> None:
    if item.workflow_id is None:
        log.warning("portal.receipt_without_attempt", receipt_id=item.receipt_id)
        return
    if item.repeat:
        return
    client = await temporal.client()
    running = await signal(client, item.workflow_id, SIGNAL_PROVIDER_EVENT, item.event)
    crash_at("forwarder.after_signal")  # development fault hook: forwarded again after restart
    log.info("portal.receipt_forwarded", kind=item.event.kind, workflow_running=running)


async def forward_receipts(
    session_factory: sessionmaker[Session], temporal_holder: TemporalHolder, batch: int = 100
) -> int:
    """Signals the portal's new receipts to their workflows in order; returns how many went."""
    # A workflow that has ended counts as delivered. When Temporal cannot be reached the round
    # stops and the rest stay unforwarded for the next one: nothing is lost.
    pending = await run_in_threadpool(_pending, session_factory, batch)
    done: list[str] = []
    try:
        for item in pending:
            await _deliver(temporal_holder, item)
            done.append(item.receipt_id)
    except Unavailable:
        log.warning("portal.forward_paused", waiting=len(pending) - len(done))
    finally:
        await run_in_threadpool(_mark, session_factory, done)
    return len(done)


async def forward_forever(
    session_factory: sessionmaker[Session],
    temporal_holder: TemporalHolder,
    interval: float = FORWARD_INTERVAL_SECONDS,
) -> None:
    """Forwards the portal's receipts every second until cancelled; never dies of an error."""
    while True:
        try:
            await forward_receipts(session_factory, temporal_holder)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a database hiccup must not stop forwarding for good
            log.error("portal.forward_failed", error=type(exc).__name__)
        await asyncio.sleep(interval)

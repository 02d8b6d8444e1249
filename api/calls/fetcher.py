"""The background loop that fetches ended calls: their record and recording reach the order."""

from __future__ import annotations

import asyncio

import structlog
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from api.calls.cti import CtiAdapter, adapter_for
from api.calls.service import fetch_call, pending_call_ids
from api.errors import ApiError
from domain.settings import Settings
from domain.store.documents import DocumentStore

log = structlog.get_logger(__name__)


def _pending(factory: sessionmaker[Session]) -> list[str]:
    with factory() as session:
        return pending_call_ids(session)


def _fetch_one(
    factory: sessionmaker[Session],
    store: DocumentStore,
    settings: Settings,
    cti: CtiAdapter,
    call_id: str,
) -> bool:
    with factory() as session:
        try:
            return fetch_call(
                session=session, store=store, settings=settings, call_id=call_id, cti=cti
            ).fetched
        except ApiError as exc:
            # The line is down or forgot the call: try again next round, the others go on.
            log.warning("calls.fetch_failed", call_id=call_id, error=type(exc).__name__)
            return False


async def fetch_ended_calls(
    factory: sessionmaker[Session],
    store: DocumentStore,
    settings: Settings,
    cti: CtiAdapter | None = None,
) -> int:
    """Fetches every call placed through the line that has ended; returns how many attached."""
    line = cti or adapter_for(settings)
    done = 0
    for call_id in await run_in_threadpool(_pending, factory):
        if await run_in_threadpool(_fetch_one, factory, store, settings, line, call_id):
            done += 1
    return done


async def fetch_forever(
    factory: sessionmaker[Session], store: DocumentStore, settings: Settings
) -> None:
    """Fetches ended calls every SONGDA_CALL_FETCH_SECONDS until cancelled, whatever fails."""
    while True:
        try:
            await fetch_ended_calls(factory, store, settings)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a database hiccup must not stop fetching for good
            log.error("calls.fetch_round_failed", error=type(exc).__name__)
        await asyncio.sleep(settings.call_fetch_seconds)

"""Starts request workflows once, and heals starts lost between commit and start."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from api.errors import Unavailable
from api.temporal import TemporalHolder
from domain.pure import summary_texts
from domain.pure.ladder import Clock, RequestInput, TaskRef
from domain.pure.names import REQUEST_WORKFLOW, SA_CASE_NUMBER, SA_COURT_CODE, request_workflow_id
from domain.settings import Settings
from domain.tables.core import ServiceRequest, ServiceTask

HEAL_INTERVAL_SECONDS = 5.0
HEAL_MIN_AGE_SECONDS = 3.0
HEAL_BATCH = 50

log = structlog.get_logger(__name__)


def request_input(session: Session, request_id: str) -> RequestInput:
    """Returns the request workflow's input, read from the stored request."""
    query = (
        select(ServiceRequest)
        .where(ServiceRequest.id == request_id)
        .options(selectinload(ServiceRequest.tasks).joinedload(ServiceTask.party))
    )
    return workflow_input(session.scalars(query).one())


def workflow_input(request: ServiceRequest) -> RequestInput:
    """Returns the request workflow's input from a request whose tasks and parties are loaded."""
    clock = request.clock or {}
    tasks = [
        TaskRef(
            task_id=task.id,
            party_ref=task.party_ref,
            party_kind=task.party.kind,
            workflow_id=task.workflow_id,
        )
        for task in request.tasks
    ]
    return RequestInput(
        request_id=request.id,
        case_number=request.case_number,
        court_code=request.court_code,
        tasks=tasks,
        # The workflow fills in the origin, so every party shares one virtual calendar.
        clock=Clock(
            mode=str(clock.get("mode", "real")),
            seconds_per_day=float(clock.get("seconds_per_day", 86400.0)),
            origin="",
        ),
    )


async def start_request_workflow(client: Client, settings: Settings, spec: RequestInput) -> None:
    """Starts the request workflow; one already started counts as success."""
    attributes = TypedSearchAttributes(
        [
            SearchAttributePair(SA_CASE_NUMBER, spec.case_number),
            SearchAttributePair(SA_COURT_CODE, spec.court_code),
        ]
    )
    try:
        await client.start_workflow(
            REQUEST_WORKFLOW,
            spec,
            id=request_workflow_id(spec.request_id),
            task_queue=settings.task_queue,
            # REJECT_DUPLICATE: a healed start after a lost acknowledgement never runs it twice.
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=attributes,
            # What the Temporal UI lists: a clerk's words, no personal data.
            static_summary=summary_texts.REQUEST.format(
                case=spec.case_number, parties=len(spec.tasks)
            ),
        )
    except WorkflowAlreadyStartedError:
        log.info("request.workflow_already_started", request_id=spec.request_id)
    except RPCError as exc:
        if exc.status == RPCStatusCode.UNAVAILABLE:
            raise Unavailable("Temporal cannot be reached; try again shortly") from exc
        raise


def mark_started(factory: sessionmaker[Session], request_id: str) -> None:
    """Records that the request's workflow runs: one statement, committed by itself."""
    with factory() as session:
        # Autocommit: a single UPDATE needs no BEGIN and COMMIT of its own (two round trips).
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        session.execute(
            update(ServiceRequest)
            .where(ServiceRequest.id == request_id)
            .values(workflow_started=True)
        )
        session.commit()


def _read_input(factory: sessionmaker[Session], request_id: str) -> RequestInput:
    with factory() as session:
        return request_input(session, request_id)


async def _start(
    factory: sessionmaker[Session],
    temporal: TemporalHolder,
    settings: Settings,
    request_id: str,
    spec: RequestInput | None = None,
) -> None:
    client = await temporal.client()
    if spec is None:
        spec = await run_in_threadpool(_read_input, factory, request_id)
    await start_request_workflow(client, settings, spec)
    await run_in_threadpool(mark_started, factory, request_id)
    log.info("request.workflow_started", request_id=request_id)


async def ensure_started(
    *,
    factory: sessionmaker[Session],
    temporal: TemporalHolder,
    settings: Settings,
    request_id: str,
    spec: RequestInput | None = None,
) -> bool:
    """Starts the request's workflow and records it; False (logged) when it could not.

    `spec` is the workflow's input when the caller has it (a request just stored); without it
    the input is read from the stored request.
    """
    try:
        await _start(factory, temporal, settings, request_id, spec)
    except Unavailable:
        log.warning("request.start_deferred", request_id=request_id)
        return False
    except Exception as exc:
        log.error("request.start_failed", request_id=request_id, error=type(exc).__name__)
        return False
    return True


def unstarted_ids(factory: sessionmaker[Session], min_age_seconds: float) -> list[str]:
    """Returns requests whose workflow start was not confirmed a while after their commit."""
    cutoff = datetime.now(UTC) - timedelta(seconds=min_age_seconds)
    query = (
        select(ServiceRequest.id)
        .where(ServiceRequest.workflow_started.is_(False), ServiceRequest.created_at < cutoff)
        .order_by(ServiceRequest.created_at)
        .limit(HEAL_BATCH)
    )
    with factory() as session:
        return list(session.scalars(query))


async def heal_once(
    *, factory: sessionmaker[Session], temporal: TemporalHolder, settings: Settings
) -> int:
    """Starts every request whose start was lost; returns how many were started."""
    started = 0
    for request_id in await run_in_threadpool(unstarted_ids, factory, HEAL_MIN_AGE_SECONDS):
        try:
            await _start(factory, temporal, settings, request_id)
        except Unavailable:
            break  # Temporal is down: try again on the next round.
        except Exception as exc:
            log.error("request.heal_failed", request_id=request_id, error=type(exc).__name__)
            continue
        started += 1
    return started


async def heal_forever(
    *, factory: sessionmaker[Session], temporal: TemporalHolder, settings: Settings
) -> None:
    """Runs heal_once every few seconds until cancelled."""
    while True:
        await asyncio.sleep(HEAL_INTERVAL_SECONDS)
        try:
            await heal_once(factory=factory, temporal=temporal, settings=settings)
        except Exception as exc:
            log.error("request.heal_failed", error=type(exc).__name__)

"""The intranet API: app factory, lifespan (engine, Temporal, healer, portal forwarder), health."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import structlog
from fastapi import FastAPI, HTTPException
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from api import routes_providers, routes_requests, routes_tasks, routes_work_orders
from api.deps import SessionDep
from api.errors import install_error_handlers
from api.portal_forwarder import forward_forever
from api.schemas_out import HealthOut
from api.temporal import TemporalHolder
from api.workflow_starter import heal_forever
from domain.db import make_engine, make_session_factory
from domain.settings import Settings, get_settings
from domain.store import DocumentStore

log = structlog.get_logger(__name__)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Opens the engine and the (lazy) Temporal client, runs the start healer, then cleans up."""
    settings: Settings = app.state.settings
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.temporal = TemporalHolder(settings)
    app.state.store = DocumentStore(settings.document_dir)
    healer = asyncio.create_task(
        heal_forever(
            factory=app.state.session_factory, temporal=app.state.temporal, settings=settings
        ),
        name="songda-start-healer",
    )
    # The portal is internet-facing: its receipts reach the workflows only through this loop.
    forwarder = asyncio.create_task(
        forward_forever(app.state.session_factory, app.state.temporal),
        name="songda-portal-forwarder",
    )
    log.info("api.started", port=settings.api_port)
    try:
        yield
    finally:
        for task in (healer, forwarder):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        engine.dispose()
        log.info("api.stopped")


def _ping(session: SessionDep) -> None:
    session.execute(text("SELECT 1"))


async def healthz(session: SessionDep) -> HealthOut:
    """Answers ok when the database answers."""
    try:
        await run_in_threadpool(_ping, session)
    except Exception as exc:
        log.error("api.health_failed", error=type(exc).__name__)
        raise HTTPException(status_code=503, detail="the database does not answer") from exc
    return HealthOut(ok=True)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Builds the intranet API; the engine and Temporal client are made in the lifespan."""
    app = FastAPI(
        title="songda intranet API",
        version="0.1.0",
        description="Service of process for courts: requests, tasks, work orders, providers.",
        lifespan=lifespan,
    )
    app.state.settings = settings or get_settings()
    install_error_handlers(app)
    for module in (routes_requests, routes_tasks, routes_work_orders, routes_providers):
        app.include_router(module.router)
    app.add_api_route(
        "/healthz", healthz, methods=["GET"], response_model=HealthOut, tags=["health"]
    )
    return app

"""The intranet API: app factory, lifespan (engine, Temporal, healer, portal forwarder), health."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import structlog
from fastapi import FastAPI, HTTPException
from fastapi.middleware.cors import CORSMiddleware
from pydantic import BaseModel
from sqlalchemy import text

from api.access.token_cache import TokenCache
from api.admin import routes as routes_admin
from api.archive import routes as routes_archive
from api.audit import routes as routes_audit
from api.body_limit import BodyLimit, api_limits
from api.calls import routes as routes_calls
from api.calls.fetcher import fetch_forever
from api.console.routes import install_console
from api.deps import SessionDep
from api.errors import install_error_handlers
from api.evidence import routes as routes_evidence
from api.input_guard import install_input_guards
from api.ops import codec as routes_codec
from api.ops import metrics
from api.ops import routes as routes_ops
from api.providers import routes as routes_providers
from api.providers.portal_forwarder import forward_forever
from api.rate_limit import RateLimit, RateLimits
from api.request_context import RequestContextMiddleware
from api.requests import routes as routes_requests
from api.requests.starter import heal_forever
from api.stats import routes as routes_stats
from api.tasks import routes as routes_tasks
from api.tasks.link_alerts import alert_forever
from api.temporal import TemporalHolder
from api.work_orders import routes as routes_work_orders
from domain.crypto.sealed_types import install_ring
from domain.settings import Settings, get_settings
from domain.store.audit_appender import AuditAppender
from domain.store.db import make_engine, make_session_factory
from domain.store.documents import DocumentStore

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
    # Calls placed through the virtual line: their record and recording attach once ended.
    fetcher = asyncio.create_task(
        fetch_forever(app.state.session_factory, app.state.store, settings),
        name="songda-call-fetcher",
    )
    # Links the portal locked after failed identity checks: the timeline and the clerks hear.
    alerts = asyncio.create_task(
        alert_forever(app.state.session_factory, settings), name="songda-link-alerts"
    )
    # Audit entries commit to the outbox with their change; this chains them in batches.
    appender = AuditAppender(engine)
    appender.start()
    log.info("api.started", port=settings.api_port)
    try:
        yield
    finally:
        appender.stop()
        for task in (healer, forwarder, fetcher, alerts):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        engine.dispose()
        log.info("api.stopped")


class HealthOut(BaseModel):
    """Liveness with a database round trip."""

    ok: bool


def _ping(session: SessionDep) -> None:
    session.execute(text("SELECT 1"))


def healthz(session: SessionDep) -> HealthOut:
    """Answers ok when the database answers."""
    try:
        _ping(session)
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
    app.state.token_cache = TokenCache()
    install_ring(app.state.settings.key_ring)
    install_error_handlers(app)
    install_console(app)
    for module in (routes_requests, routes_tasks, routes_work_orders, routes_providers):
        app.include_router(module.router)
    for module in (routes_ops, routes_stats, metrics):
        app.include_router(module.router)
    app.include_router(routes_audit.router)
    app.include_router(routes_archive.router)
    app.include_router(routes_admin.router)
    app.add_middleware(RequestContextMiddleware)
    app.include_router(routes_codec.router)
    app.include_router(routes_evidence.router)
    app.include_router(routes_calls.router)
    # The Temporal UI (another origin) calls /codec with the user's Authorization header.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[app.state.settings.effective_temporal_ui_url],
        allow_credentials=True,
        allow_methods=["POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "X-Namespace"],
    )
    app.add_api_route(
        "/healthz", healthz, methods=["GET"], response_model=HealthOut, tags=["health"]
    )
    # Login and webhooks answer anyone: count them per client address in the database.
    app.state.rate_limits = RateLimits()
    app.add_middleware(RateLimit)
    install_input_guards(app)  # found by the fuzz run: a NUL in a query parameter was a 500
    # Outermost: an oversized body is refused before any other layer or route reads it.
    limits = api_limits(app.state.settings)
    app.add_middleware(BodyLimit, limits=limits, default=app.state.settings.max_body_bytes)
    return app

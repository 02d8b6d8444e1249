"""The recipient portal (extranet): its own app, database role, and security headers."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import structlog
from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api.body_limit import BodyLimit, portal_limits
from api.portal import routes_documents, routes_identity
from api.portal.deps import PortalSession
from api.portal.otp import CodeSender
from api.portal.pages import NOT_FOUND, STATIC_DIR, PageError, error_page
from api.portal.settings import PortalSettings, get_portal_settings, portal_settings_of
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.store.documents import DocumentStore

GATEWAY_TIMEOUT_SECONDS = 10.0
PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
# Links carry their token in the path: never let it leave in a Referer header or a cache.
COMMON_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

log = structlog.get_logger(__name__)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Opens the engine on the portal's own database URL and the gateway client."""
    settings: PortalSettings = app.state.settings
    # The portal's role may read publications and add receipts, nothing else (PostgreSQL).
    engine = make_engine(settings.effective_portal_database_url)
    app.state.session_factory = make_session_factory(engine)
    # Its own copies of what was published, under its own key: never the court's store.
    app.state.store = DocumentStore(settings.document_dir, settings.portal_ring)
    http = httpx.Client(timeout=GATEWAY_TIMEOUT_SECONDS)
    app.state.sender = CodeSender(http, settings)
    log.info("portal.started", port=settings.portal_port)
    try:
        yield
    finally:
        http.close()
        engine.dispose()
        log.info("portal.stopped")


async def _headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    for name, value in COMMON_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
    return response


async def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    return error_page(request, exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return error_page(request, NOT_FOUND)
    title = "请求无法处理"
    return error_page(
        request, PageError(exc.status_code, title, "请返回上一页重试，或拨打 12368。")
    )


async def _invalid(request: Request, _exc: Exception) -> Response:
    message = "填写的内容格式不正确（例如过长），请返回重新填写。"
    return error_page(request, PageError(400, "输入有误", message))


def healthz(session: PortalSession) -> JSONResponse:
    """Answers ok when the database answers."""
    try:
        session.execute(text("SELECT 1"))
    except Exception as exc:
        log.error("portal.health_failed", error=type(exc).__name__)
        raise HTTPException(status_code=503, detail="the database does not answer") from exc
    return JSONResponse({"ok": True})


def create_portal_app(settings: PortalSettings | Settings | None = None) -> FastAPI:
    """Builds the recipient portal (from the intranet's settings too, where one environment
    serves both: make run, tests); the engine is made in the lifespan."""
    if isinstance(settings, Settings):
        settings = portal_settings_of(settings)
    app = FastAPI(
        title="songda recipient portal",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings or get_portal_settings()
    app.middleware("http")(_headers)
    app.add_exception_handler(PageError, _page_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.include_router(routes_identity.router)
    app.include_router(routes_documents.router)
    app.add_api_route("/healthz", healthz, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # The client address (rate limits, receipts) comes from X-Forwarded-For only when the
    # connection comes from a trusted proxy (FORWARDED_ALLOW_IPS); anyone else's is ignored.
    proxies = [host.strip() for host in app.state.settings.trusted_proxies.split(",")]
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=proxies)
    # Outermost: the internet-facing forms take a few hundred bytes; nothing bigger is read.
    limits = portal_limits(app.state.settings)
    app.add_middleware(BodyLimit, limits=limits, default=app.state.settings.max_form_bytes)
    return app

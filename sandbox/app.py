"""Builds the sandbox's FastAPI app: the simulated outside world of songda."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from domain.settings import Settings, get_settings
from sandbox import callbacks, channel_faults, cti, gateways, inspection, operators
from sandbox.channel_faults import accepted
from sandbox.notifier import Notifier
from sandbox.recipient import Recipient
from sandbox.schemas import Ok
from sandbox.smpp_server import start_smsc
from sandbox.smtp_server import start_smtp_server
from sandbox.state import Records

DESCRIPTION = (
    "Simulates the SMS gateway, e-mail, post office, public notice board and telecom operators "
    "deterministically from the data (CONTRACT.md, the sandbox's scenarios), and posts signed "
    "receipts back to songda's API at least once, in order per send. A simulated recipient opens "
    "delivered links in the recipient portal and confirms receipt there, as a person would."
)


def create_app(settings: Settings | None = None, journal: Path | None = None) -> FastAPI:
    """Returns the sandbox app; its events go to settings.effective_api_url."""
    settings = settings or get_settings()
    records = Records(journal)
    notifier = Notifier(settings, on_accepted=lambda event: accepted(records, event))
    recipient = Recipient(records)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await notifier.start()
        await recipient.start()
        smtp = await start_smtp_server(app.state, settings)
        smsc = await start_smsc(app.state, settings)
        try:
            yield
        finally:
            await smsc.aclose()
            await smtp.aclose()
            await recipient.aclose()
            await notifier.aclose()

    app = FastAPI(title="songda sandbox", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.records = records
    app.state.notifier = notifier
    app.state.recipient = recipient
    app.state.cti = cti.CallBook(settings.sandbox_call_seconds)
    app.include_router(gateways.router)
    app.include_router(operators.router)
    app.include_router(inspection.router)
    app.include_router(callbacks.router)
    app.include_router(cti.router)
    app.include_router(channel_faults.router)

    @app.get("/healthz", response_model=Ok, tags=["inspection"])
    async def healthz() -> Ok:
        """Tells that the sandbox is up."""
        return Ok()

    return app

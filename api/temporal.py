"""The Temporal client, connected on first use, and the signal helpers the routes share."""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from api.errors import Unavailable
from domain.settings import Settings
from payload_codec import data_converter

CONNECT_TIMEOUT_SECONDS = 10.0

log = structlog.get_logger(__name__)


class TemporalHolder:
    """Connects to Temporal lazily, so the API starts (and refuses bad input) before Temporal."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client: Client | None = None
        self._lock = asyncio.Lock()

    async def client(self) -> Client:
        """Returns the connected client, connecting now if needed; Unavailable when it cannot."""
        if self._client is not None:
            return self._client
        async with self._lock:
            if self._client is None:
                self._client = await self._connect()
        return self._client

    async def _connect(self) -> Client:
        address = self._settings.effective_temporal_address
        try:
            connecting = Client.connect(
                address,
                namespace=self._settings.temporal_namespace,
                data_converter=data_converter(self._settings.key_ring),
            )
            return await asyncio.wait_for(connecting, CONNECT_TIMEOUT_SECONDS)
        except Exception as exc:
            log.warning("temporal.connect_failed", address=address, error=type(exc).__name__)
            raise Unavailable("Temporal cannot be reached; try again shortly") from exc


def is_not_found(exc: RPCError) -> bool:
    """Tells whether an RPC error means the workflow is gone (finished or never started)."""
    return exc.status == RPCStatusCode.NOT_FOUND


async def signal(client: Client, workflow_id: str, name: str, arg: Any) -> bool:
    """Signals a workflow; False when it no longer runs, Unavailable when Temporal is down."""
    try:
        await client.get_workflow_handle(workflow_id).signal(name, arg)
    except RPCError as exc:
        if is_not_found(exc):
            return False
        log.warning(
            "temporal.signal_failed", workflow_id=workflow_id, signal=name, status=exc.status.name
        )
        raise Unavailable("Temporal cannot be reached; try again shortly") from exc
    return True

"""What the Temporal UI can filter on: each party's step and status, one upsert per change."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from launcher import Stack
from tests.e2e.support import mobile, party, request_body, request_done

pytestmark = pytest.mark.integration


async def _published(stack: Stack, workflow_id: str) -> list[tuple[str, str]]:
    """Returns the (step, status) pairs the party's workflow upserted, in order."""
    client = await Client.connect(
        stack.temporal_address, namespace=stack.settings.temporal_namespace
    )
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    pairs = []
    for event in history.events:
        if event.event_type != EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
            continue
        fields = event.upsert_workflow_search_attributes_event_attributes.search_attributes
        if "ServiceStep" in fields.indexed_fields:
            step = fields.indexed_fields["ServiceStep"].data.decode().strip('"')
            status = fields.indexed_fields["ServiceStatus"].data.decode().strip('"')
            pairs.append((step, status))
    return pairs


def test_serving_reaches_the_ui_with_the_first_step(stack: Stack, api: httpx.Client) -> None:
    """An electronic party: "serving" and "electronic" in one upsert, then "served"."""
    body = request_body([party("U1", phones=[mobile("7")], consent=True, address=None)])
    created = api.post("/v1/service-requests", json=body)
    assert created.status_code == 201, created.text
    done: dict[str, Any] = request_done(api, created.json()["id"], timeout=120)
    task = done["tasks"][0]
    assert (task["status"], task["method"]) == ("served", "electronic")
    pairs = asyncio.run(_published(stack, task["workflow_id"]))
    assert pairs == [("electronic", "serving"), ("electronic", "served")]

"""Full-ladder parties: electronic, phone, mail, direct and public notice, answered by the bench.

The party consented to a number that is not in service (the SMS fails), the clerk's call finds
a wrong number, the letter comes back (no such recipient), the bailiff does not find the party,
and the public notice serves after its legal period. The bench answers the work orders through
the API as the case system may, so the phone and direct rungs end on an outcome, not a timeout.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx

from bench.common import request_body
from tests.e2e.support import mobile, party

# Fast enough that the 30-day notice takes half a minute, slow enough for the bench's answers.
LADDER_CLOCK = {"mode": "accelerated", "seconds_per_day": 1.0}
ANSWERS = {
    "phone": {"outcome": "wrong_number", "note": "bench"},
    "direct": {"outcome": "not_found"},
}


def ladder_party() -> dict[str, Any]:
    """A party that climbs every rung: dead number, wrong number, no such recipient, not found."""
    # Born after 2000: the telecom operators know no number for it, so no repair rungs join.
    return party(
        "P1",
        phones=[mobile("0")],
        consent=True,
        address="天津市河西区查无此人路7号",
        born="20020202",
    )


async def _answer_orders(client: httpx.AsyncClient, answered: set[str], refused: list[str]) -> None:
    listed = await client.get("/v1/work-orders", params={"status": "open", "limit": 500})
    listed.raise_for_status()
    for order in listed.json()["items"]:
        if order["id"] in answered:
            continue
        answered.add(order["id"])
        reply = await client.post(
            f"/v1/work-orders/{order['id']}/outcome", json=ANSWERS[order["kind"]]
        )
        if reply.status_code != 200:  # the rung then ends on its deadline instead
            refused.append(f"{order['kind']}: {reply.status_code} {reply.text[:200]}")


async def run_ladder(base: str, token: str, count: int, timeout: float = 600) -> dict[str, Any]:
    """Submits count full-ladder requests, answers their work orders, waits for the end."""
    run = uuid.uuid4().hex[:6]
    answered: set[str] = set()
    refused: list[str] = []
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120
    ) as client:
        ids = []
        for i in range(count):
            body = request_body(f"ladder-{run}-{i}", [ladder_party()], LADDER_CLOCK)
            created = await client.post("/v1/service-requests", json=body)
            created.raise_for_status()
            ids.append(str(created.json()["id"]))
        start = time.monotonic()
        pending = set(ids)
        while pending:
            if time.monotonic() - start > timeout:
                raise TimeoutError(
                    f"{len(pending)} full-ladder requests not done after {timeout} s"
                )
            await _answer_orders(client, answered, refused)
            for request_id in list(pending):
                got = (await client.get(f"/v1/service-requests/{request_id}")).json()
                if got["status"] in ("completed", "cancelled"):
                    pending.discard(request_id)
            await asyncio.sleep(0.5)
        task = (await client.get(f"/v1/service-requests/{ids[0]}")).json()["tasks"][0]
        timeline = (await client.get(f"/v1/tasks/{task['id']}/timeline")).json()["items"]
    steps = [e["step"] for e in timeline if e["kind"] == "step_started"]
    return {
        "ids": ids,
        "seconds": time.monotonic() - start,
        "steps": steps,
        "status": f"{task['status']} ({task.get('method') or task.get('reason')})",
        "refused_answers": refused[:3],
    }

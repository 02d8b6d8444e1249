"""Serving against the hearing on the real stack: warned at planning, escalated sooner."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from tests.e2e.support import (
    mobile,
    party,
    request_body,
    request_done,
    tasks_by_ref,
    timeline,
    wait_until,
)

pytestmark = pytest.mark.integration


def test_a_hearing_too_close_warns_and_paces_the_ladder(api: httpx.Client) -> None:
    # The link is never opened and there is no consent: the electronic rung cannot serve.
    body = request_body([party("P1", phones=[mobile("1")])])
    body["hearing_at"] = (datetime.now(UTC) + timedelta(days=4)).isoformat()
    created = api.post("/v1/service-requests", json=body)
    assert created.status_code == 201, created.text
    done = request_done(api, created.json()["id"], timeout=180)
    task = tasks_by_ref(done)["P1"]
    assert task["method"] == "mail"
    events = timeline(api, task["id"])
    risks = [e for e in events if e["kind"] == "deadline_risk"]
    assert risks and risks[0]["detail"]["article"] == "CPL 139"
    assert risks[0]["detail"]["rule"] == "hearing_notice"
    started = {e["step"]: date.fromisoformat(e["legal_date"]) for e in events
               if e["kind"] == "step_started"}  # fmt: skip
    # At risk the electronic rung waits one legal day, not three, before the clerk's call.
    assert (started["phone"] - started["electronic"]).days <= 2


def test_a_moved_hearing_is_read_again(api: httpx.Client) -> None:
    body = request_body([party("P1", phones=[mobile("1")])])
    body["hearing_at"] = (datetime.now(UTC) + timedelta(days=4)).isoformat()
    created = api.post("/v1/service-requests", json=body)
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    task_id = created.json()["tasks"][0]["id"]
    wait_until(lambda: [e for e in timeline(api, task_id) if e["kind"] == "deadline"], 60,
               "the first deadline")  # fmt: skip
    later = (datetime.now(UTC) + timedelta(days=90)).isoformat()
    moved = api.put(f"/v1/service-requests/{request_id}/hearing", json={"hearing_at": later})
    assert moved.status_code == 200, moved.text
    done = request_done(api, request_id, timeout=180)
    events = timeline(api, tasks_by_ref(done)["P1"]["id"])
    latest = [e["detail"]["latest_on"] for e in events if e["kind"] == "deadline"]
    assert len(latest) == 2 and latest[0] < latest[1]
    assert done["deadline"]["latest_on"] == latest[1]

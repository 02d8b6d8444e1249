"""What one case teaches the next: the address book on the real stack."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.support import (
    mobile,
    party,
    request_body,
    request_done,
    service_sms,
    tasks_by_ref,
    timeline,
)

pytestmark = pytest.mark.integration


def test_a_number_that_served_once_is_used_in_the_next_case(
    api: httpx.Client, sandbox: httpx.Client
) -> None:
    number = mobile("2")
    first = party("K1", phones=[number], consent=True, born="19880808")
    created = api.post("/v1/service-requests", json=request_body([first]))
    assert created.status_code == 201, created.text
    done = request_done(api, created.json()["id"], timeout=60)
    assert tasks_by_ref(done)["K1"]["status"] == "served"

    # The next case knows only the ID number (written in lower case) and a bad address.
    second = {
        **first,
        "phones": [],
        "id_number": first["id_number"].lower(),
        "addresses": [{"text": "天津市河西区查无此人路2号", "postcode": "300000"}],
        "consent_electronic": False,
    }
    created = api.post("/v1/service-requests", json=request_body([second]))
    assert created.status_code == 201, created.text
    done = request_done(api, created.json()["id"], timeout=60)
    task = tasks_by_ref(done)["K1"]
    assert task["status"] == "served" and task["method"] == "electronic"
    plan = timeline(api, task["id"])[0]
    electronic = plan["detail"]["steps"][0]
    assert electronic["step"] == "electronic"
    assert electronic["contacts"] == [f"{number[:3]}****{number[-4:]}"]
    assert "津0103民初1234号" in electronic["reason"]  # the case that proved the number
    assert len(service_sms(sandbox, number)) == 2

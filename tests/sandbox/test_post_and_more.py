"""Post office, notice board, telecom repair, callbacks and reset through the real sandbox."""

from __future__ import annotations

import asyncio
import re

import httpx

from sandbox import world
from tests.sandbox.support import Receiver, kinds, wait_for

SPD = 0.5  # in transit after 50 ms, outcome after 1 s


async def post_letter(client: httpx.AsyncClient, address: str, ref: str) -> dict[str, object]:
    """Posts a letter through the sandbox and returns the answer."""
    body = {
        "address": address,
        "postcode": "300000",
        "recipient": "张*",
        "documents": ["传票"],
        "reference": ref,
        "seconds_per_day": SPD,
    }
    response = await client.post("/post/waybills", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_letters_follow_their_addresses(
    client: httpx.AsyncClient, receiver: Receiver
) -> None:
    cases = {
        "post-signed": ("天津市河西区友谊路1号", "signed", {"signer": "本人"}),
        "post-returned": ("天津市河西区查无此人路2号", "returned", {"reason": "no_such_recipient"}),
        "post-refused": ("天津市河西区拒收路3号", "refused", {}),
    }
    # A refused letter comes back to the court afterwards (拒收退回).
    after = {"post-refused": ["returned"]}
    waybills = {ref: (await post_letter(client, c[0], ref))["waybill"] for ref, c in cases.items()}
    expected = {ref: ["in_transit", c[1], *after.get(ref, [])] for ref, c in cases.items()}
    await wait_for(lambda: all(len(receiver.of(ref)) == len(expected[ref]) for ref in cases))
    for ref, (_, _, detail) in cases.items():
        events = receiver.of(ref)
        assert kinds(events) == expected[ref]
        assert receiver.providers(ref) == ["sandbox-post"] * len(expected[ref])
        assert events[0]["detail"] == {"waybill": waybills[ref]}
        assert detail.items() <= events[1]["detail"].items()
        tracked = (await client.get(f"/post/waybills/{waybills[ref]}")).json()
        assert tracked["status"] == expected[ref][-1]
        assert [e["kind"] for e in tracked["events"]] == expected[ref]


async def test_waybill_status_polls_in_transit_first(
    client: httpx.AsyncClient, receiver: Receiver
) -> None:
    sent = await post_letter(client, "天津市河西区友谊路9号", "post-poll")
    assert str(sent["waybill"]).startswith("EMS") and sent["duplicate"] is False
    await wait_for(lambda: len(receiver.of("post-poll")) == 1)
    tracked = (await client.get(f"/post/waybills/{sent['waybill']}")).json()
    assert (tracked["waybill"], tracked["status"]) == (sent["waybill"], "in_transit")
    assert (await client.get("/post/waybills/EMS0000000000CN")).status_code == 404


async def test_same_letter_reference_posts_once(
    client: httpx.AsyncClient, receiver: Receiver
) -> None:
    first = await post_letter(client, "天津市河西区拒收路5号", "post-dup")
    again = await post_letter(client, "天津市河西区拒收路5号", "post-dup")
    assert again == {"waybill": first["waybill"], "duplicate": True}
    await wait_for(lambda: len(receiver.of("post-dup")) == 3)
    await asyncio.sleep(0.1)
    assert kinds(receiver.of("post-dup")) == ["in_transit", "refused", "returned"]
    items = (await client.get("/sandbox/post", params={"to": "拒收路5号"})).json()["items"]
    assert [(i["waybill"], i["status"]) for i in items] == [(first["waybill"], "returned")]
    assert items[0]["address"] == "天津市河西区拒收路5号"


async def test_notices_publish_once_per_reference(client: httpx.AsyncClient) -> None:
    body = {
        "court": "天津市河西区人民法院",
        "case_number": "(2026)津0103民初1234号",
        "text": "张三：本院受理……",
        "reference": "notice-1",
    }
    first = (await client.post("/notices", json=body)).json()
    again = (await client.post("/notices", json=body)).json()
    assert first["duplicate"] is False and again["duplicate"] is True
    assert (again["notice_id"], again["published_at"]) == (
        first["notice_id"],
        first["published_at"],
    )
    listed = await client.get("/sandbox/notices", params={"to": "(2026)津0103民初1234号"})
    (item,) = listed.json()["items"]
    assert (item["court"], item["text"]) == (body["court"], body["text"])


async def test_the_older_lookup_is_china_mobile_and_finds_only_its_people(
    client: httpx.AsyncClient,
) -> None:
    ids = [f"1101011985010{serial:03d}12" for serial in range(30)]
    mobile = next(i for i in ids if world.repair_operator(i) == "cmcc")
    other = next(i for i in ids if world.repair_operator(i) == "ctcc")
    older = {"name": "张三", "id_number": mobile, "reference": "repair-1"}
    (number,) = (await client.post("/operators/lookup", json=older)).json()["numbers"]
    assert re.fullmatch(r"139\d{7}[2-8]", number)
    assert (await client.post("/operators/lookup", json=older)).json()["numbers"] == [number]
    elsewhere = {"name": "王五", "id_number": other, "reference": "repair-2"}
    assert (await client.post("/operators/lookup", json=elsewhere)).json() == {"numbers": []}
    younger = {"name": "李四", "id_number": "110101200301011234", "reference": "repair-3"}
    assert (await client.post("/operators/lookup", json=younger)).json() == {"numbers": []}
    items = (await client.get("/sandbox/repairs")).json()["items"]
    assert [i["numbers"] for i in items] == [[], [], [number], [number]]
    assert {i["operator"] for i in items} == {"cmcc"}
    assert all(mobile[6:14] not in str(i) and "2003" not in str(i) for i in items)
    assert items[0]["id_number"] == "1101**********1234"
    found = (await client.get("/sandbox/repairs", params={"to": number})).json()["items"]
    assert len(found) == 2


async def test_callbacks_are_recorded_and_flaky_receivers_fail_twice(
    client: httpx.AsyncClient,
) -> None:
    headers = {"X-Songda-Timestamp": "1700000000", "X-Songda-Signature": "abc"}
    ok = await client.post("/callbacks/case-system", content=b'{"id":"r1"}', headers=headers)
    assert ok.status_code == 200
    answers = [
        (await client.post("/callbacks/flaky-1", json={"id": "r2"})).status_code for _ in range(3)
    ]
    assert answers == [503, 503, 200]
    (item,) = (await client.get("/sandbox/callbacks", params={"to": "case-system"})).json()["items"]
    assert item["body"] == {"id": "r1"} and item["raw"] == '{"id":"r1"}'
    assert (item["timestamp"], item["signature"]) == ("1700000000", "abc")
    assert len((await client.get("/sandbox/callbacks")).json()["items"]) == 4


async def test_reset_forgets_records_and_pending_events(
    client: httpx.AsyncClient, receiver: Receiver
) -> None:
    body = {"to": "13800000002", "text": "x", "reference": "reset-1", "seconds_per_day": 25}
    assert (await client.post("/gateway/sms", json=body)).status_code == 200
    assert (await client.post("/sandbox/reset")).json() == {"ok": True}
    assert (await client.get("/sandbox/sms")).json() == {"items": []}
    await asyncio.sleep(0.8)  # the receipt was due after 0.5 s
    assert receiver.of("reset-1") == []
    again = (await client.post("/gateway/sms", json=body)).json()
    assert again["duplicate"] is False
    assert (await client.get("/healthz")).json() == {"ok": True}

"""The three telecom operators of the sandbox: one finds the number, and the outage switch."""

from __future__ import annotations

import asyncio
import time

import httpx

from domain.pure.operators import OPERATORS
from sandbox import world

CASE = "(2026)津0103民初1234号"
BASIS = f"CPL 90/Online Litigation Rules 29 — locating a party for service in case {CASE}"
OLDER = "120103198501010019"
YOUNGER = "120103200301010016"


def lookup(id_number: str, reference: str = "t1:repair:1") -> dict[str, str]:
    """Returns a lookup body naming its case and legal basis."""
    return {
        "name": "张三",
        "id_number": id_number,
        "case_number": CASE,
        "legal_basis": BASIS,
        "reference": reference,
    }


async def ask_all(client: httpx.AsyncClient, id_number: str) -> dict[str, list[str]]:
    """Asks every operator and returns what each found."""
    answers = {}
    for operator in OPERATORS:
        response = await client.post(f"/operators/{operator}/lookup", json=lookup(id_number))
        assert response.status_code == 200, response.text
        answers[operator] = response.json()["numbers"]
    return answers


async def test_exactly_one_operator_finds_a_person_born_before_2000(
    client: httpx.AsyncClient,
) -> None:
    chosen = world.repair_operator(OLDER)
    number = world.working_number(OLDER)
    answers = await ask_all(client, OLDER)
    assert answers == {o: [number] if o == chosen else [] for o in OPERATORS}
    assert await ask_all(client, YOUNGER) == {o: [] for o in OPERATORS}
    items = (await client.get("/sandbox/repairs")).json()["items"]
    assert len(items) == 6
    newest = items[0]
    assert (newest["operator"], newest["found"], newest["case_number"]) == ("ctcc", 0, CASE)
    assert newest["id_number"] == "1201**********0016" and newest["legal_basis"] == BASIS
    assert all(OLDER not in str(i) and YOUNGER not in str(i) for i in items)
    (hit,) = (await client.get("/sandbox/repairs", params={"to": number})).json()["items"]
    assert (hit["operator"], hit["found"]) == (chosen, 1)


async def test_operators_refuse_a_lookup_without_case_or_basis_and_unknown_operators(
    client: httpx.AsyncClient,
) -> None:
    bare = {"name": "张三", "id_number": OLDER, "reference": "r"}
    assert (await client.post("/operators/cucc/lookup", json=bare)).status_code == 422
    unknown = await client.post("/operators/cmii/lookup", json=lookup(OLDER))
    assert unknown.status_code == 404 and "cmcc, cucc, ctcc" in unknown.text
    outage = await client.post("/sandbox/operators/cmii/outage", json={"mode": "down"})
    assert outage.status_code == 404
    bad_mode = await client.post("/sandbox/operators/cmcc/outage", json={"mode": "flaky"})
    assert bad_mode.status_code == 422
    assert (await client.get("/sandbox/repairs")).json() == {"items": []}


async def test_a_down_operator_answers_503_until_switched_back_or_reset(
    client: httpx.AsyncClient,
) -> None:
    switched = await client.post("/sandbox/operators/cucc/outage", json={"mode": "down"})
    assert switched.json() == {"operator": "cucc", "mode": "down"}
    states = (await client.get("/sandbox/operators")).json()["items"]
    assert states == [
        {"operator": "cmcc", "mode": "ok"},
        {"operator": "cucc", "mode": "down"},
        {"operator": "ctcc", "mode": "ok"},
    ]
    down = await client.post("/operators/cucc/lookup", json=lookup(OLDER))
    assert down.status_code == 503
    assert (await client.post("/operators/ctcc/lookup", json=lookup(OLDER))).status_code == 200
    refused = (await client.get("/sandbox/repairs")).json()["items"][1]
    assert (refused["operator"], refused["mode"], refused["found"]) == ("cucc", "down", 0)
    await client.post("/sandbox/operators/cucc/outage", json={"mode": "ok"})
    assert (await client.post("/operators/cucc/lookup", json=lookup(OLDER))).status_code == 200
    await client.post("/sandbox/operators/cmcc/outage", json={"mode": "down"})
    assert (await client.post("/operators/lookup", json=lookup(OLDER))).status_code == 503
    await client.post("/sandbox/reset")
    assert (await client.post("/operators/lookup", json=lookup(OLDER))).status_code == 200


async def test_a_slow_operator_answers_after_five_seconds_without_holding_the_others(
    client: httpx.AsyncClient,
) -> None:
    await client.post("/sandbox/operators/ctcc/outage", json={"mode": "slow"})
    started = time.monotonic()
    slow = asyncio.create_task(client.post("/operators/ctcc/lookup", json=lookup(YOUNGER)))
    quick = await client.post("/operators/cmcc/lookup", json=lookup(YOUNGER))
    assert quick.status_code == 200 and time.monotonic() - started < 1.0
    assert (await slow).json() == {"numbers": []}
    assert 4.9 <= time.monotonic() - started < 7.0

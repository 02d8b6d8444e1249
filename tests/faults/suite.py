"""The fault suite: requests across every rung, then faults at random moments while they run.

Used by tests/faults/test_fault_suite.py (short form) and bench/faults.py (long form). Only
loopback addresses; every loop is bounded in count and time.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg

from launcher import Stack
from supervisor import RestartPolicy, Supervisor
from tests.e2e.support import mobile, party, request_body
from tests.faults.support import crash

KILLED = ("worker", "api", "api.portal", "sandbox", "temporal")
CHANNEL_FAULTS = (("sms", "down"), ("email", "hang"), ("post", "down"), ("hooks", "down"))


@dataclass
class Workload:
    """What was submitted: request ids, and which ones asked for a callback."""

    request_ids: list[str] = field(default_factory=list)
    callbacks: dict[str, str] = field(default_factory=dict)  # request id -> receiver name
    parties: int = 0
    intake_seconds: list[float] = field(default_factory=list)


def party_mix(index: int) -> list[dict[str, Any]]:
    """Returns the parties of the index-th request: every rung is reached across a few."""
    mixes: list[list[dict[str, Any]]] = [
        [party("P1", phones=[mobile("2")], consent=True)],  # electronic, served on delivery
        [party("P1", phones=[mobile("3")]), party("P2", emails=[f"p{index}@example.cn"])],
        [party("P1", phones=[mobile("0")], address="天津市河西区围堤道2号")],  # phone, then mail
        [party("P1", phones=[mobile("1")], address="天津市河西区拒收路5号")],  # mail refused
        [party("P1", phones=[mobile("4")], consent=True), party("P2", phones=[mobile("9")])],
        [party("P1", phones=[mobile("0")], address="天津市河西区查无此人路3号", born="20010101")],
    ]
    return mixes[index % len(mixes)]


def submit_all(api: httpx.Client, sandbox_port: int, count: int, per_day: float) -> Workload:
    """Submits count requests (a third with a callback to the sandbox); records intake times."""
    work = Workload()
    for index in range(count):
        body = request_body(party_mix(index), seconds_per_day=per_day)
        if index % 3 == 0:
            name = f"faults-{index}-{time.time_ns()}"
            body["callback_url"] = f"http://127.0.0.1:{sandbox_port}/sandbox/hooks/{name}"
        started = time.monotonic()
        answer = _post_until_taken(api, body)
        work.intake_seconds.append(time.monotonic() - started)
        work.request_ids.append(answer["id"])
        work.parties += len(body["parties"])
        if body["callback_url"]:
            work.callbacks[answer["id"]] = name
    return work


def _post_until_taken(api: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    """Posts a request as a case system would: retried with the same external id until taken."""
    for _ in range(60):
        try:
            answer = api.post("/v1/service-requests", json=body)
        except httpx.TransportError:
            time.sleep(1.0)
            continue
        if answer.status_code in (200, 201):
            taken: dict[str, Any] = answer.json()
            return taken
        time.sleep(1.0)
    raise AssertionError(f"request {body['external_id']} was never taken")


class Injector:
    """Injects faults one after the other at random moments, with the supervisor restarting."""

    def __init__(self, stack: Stack, seed: int, outage_seconds: float) -> None:
        self.stack = stack
        self.rng = random.Random(seed)
        self.outage = outage_seconds
        self.injected: Counter[str] = Counter()
        self.supervisor = Supervisor(stack, RestartPolicy(max_crashes=100, first_delay=0.5))
        self._thread = threading.Thread(target=self.supervisor.run, kwargs={"poll": 0.2})
        self.sandbox = f"http://127.0.0.1:{stack.settings.sandbox_port}"
        self.db = stack.env["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")

    def plan(self, rounds: int) -> list[str]:
        """Returns every fault kind `rounds` times, shuffled."""
        kinds = [f"kill -9 {name}" for name in KILLED]
        kinds += [f"{channel} {mode}" for channel, mode in CHANNEL_FAULTS]
        kinds += ["pg_terminate_backend", "postgres refusing"]
        order = kinds * rounds
        self.rng.shuffle(order)
        return order

    def run(self, order: list[str], gap: tuple[float, float]) -> None:
        """Injects each fault after a random gap; waits for the stack to be whole again."""
        self._thread.start()
        try:
            for kind in order:
                time.sleep(self.rng.uniform(*gap))
                self.inject(kind)
                self.injected[kind] += 1
                self._await_whole(90)
        finally:
            self.supervisor.stop()
            self._thread.join(30)

    def inject(self, kind: str) -> None:
        """Injects one fault; outages end by themselves after the outage time."""
        if kind.startswith("kill -9 "):
            crash(self.stack, kind.removeprefix("kill -9 "))
        elif kind == "pg_terminate_backend":
            self._terminate()
        elif kind == "postgres refusing":
            self._refuse_for(self.outage)
        else:
            channel, mode = kind.split()
            self._switch(channel, mode, self.outage)

    def _switch(self, channel: str, mode: str, seconds: float) -> None:
        url = f"{self.sandbox}/sandbox/faults/{channel}"
        body = {"mode": mode, "seconds": min(seconds, 10.0)}
        _retry(lambda: httpx.post(url, json=body, timeout=10).raise_for_status())
        time.sleep(seconds)
        _retry(lambda: httpx.post(url, json={"mode": "ok"}, timeout=10).raise_for_status())

    def _terminate(self) -> None:
        """Ends every connection songda holds to its database, as a failover would."""
        with psycopg.connect(self.db, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )

    def _refuse_for(self, seconds: float) -> None:
        """The database refuses new connections for a while (only songda's database)."""
        admin = self.db.rsplit("/", 1)[0] + "/postgres"
        name = self.db.rsplit("/", 1)[1]
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            try:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    (name,),
                )
                time.sleep(seconds)
            finally:
                conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    def _await_whole(self, timeout: float) -> None:
        """Waits until the supervisor has every process back and they answer health checks."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            temporal = self.stack.temporal
            alive = not self.stack.dead_children() and (temporal is None or temporal.poll() is None)
            if alive:
                try:
                    self.stack.wait_healthy(max(1.0, deadline - time.monotonic()))
                    return
                except Exception:  # a child died again meanwhile: the supervisor handles it
                    pass
            time.sleep(0.5)
        raise AssertionError("the stack did not come back whole after a fault")


def _retry(call: Callable[[], object], tries: int = 30) -> None:
    """Calls until it succeeds (the sandbox may be restarting), at most `tries` times."""
    for attempt in range(tries):
        try:
            call()
            return
        except httpx.HTTPError:
            if attempt == tries - 1:
                raise
            time.sleep(1.0)

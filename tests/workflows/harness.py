"""Builders of scripted plans and the runner of the real workflows against stub activities."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import uuid4

from temporalio.client import WorkflowHandle
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.pure.clock import legal_date
from domain.pure.ladder import (
    Clock,
    Contact,
    PartyInput,
    Plan,
    RequestInput,
    Rung,
    Step,
    TaskOutcome,
    TaskRef,
    WorkOrderOutcome,
)
from domain.pure.rules import PUBLIC_NOTICE_DAYS, WAIT_DAYS
from tests.workflows.stubs import Script, stub_activities
from workflows.party import PartyServiceWorkflow
from workflows.request import ServiceRequestWorkflow
from workflows.sandbox import WORKFLOW_RUNNER

# The real clock: a legal day is a day of the test server's clock, which skips ahead.
CLOCK = Clock()
CASE_NUMBER = "TEST-2026-0001"
COURT_CODE = "T001"

PHONE = Contact("phone", 0, "138****0000")
EMAIL = Contact("email", 0, "t***@example.org")
HOME = Contact("address", 0, "Test Road 1 ***")
WORK = Contact("address", 1, "Test Road 2 ***")

T = TypeVar("T")


def consented(contact: Contact) -> Contact:
    """Returns the contact as covered by a consent (e-address) or confirmation (address)."""
    return Contact(contact.kind, contact.index, contact.label, True, contact.source)


def rung(step: Step, *contacts: Contact) -> Rung:
    """Returns a rung with the rule table's wait; people's rungs count workdays."""
    days = WAIT_DAYS.get(step, float(PUBLIC_NOTICE_DAYS))
    people = step in (Step.PHONE, Step.DIRECT)
    return Rung(step, days, f"test: {step}", list(contacts), business_days=people)


def plan(*rungs: Rung, **fields: object) -> Plan:
    """Returns a plan of the given rungs on the real clock, in ordinary procedure by default."""
    values: dict[str, object] = {"procedure": "ordinary", **fields}
    return Plan(list(rungs), CLOCK, "test", **values)  # type: ignore[arg-type]


def clerk(outcome: str, **fields: int) -> WorkOrderOutcome:
    """Returns a clerk's (or bailiff's) outcome; the stub fills in the work order's id."""
    return WorkOrderOutcome("", outcome, "answered in a test", "clerk-test", **fields)


def day(at: datetime) -> date:
    """Returns the legal date of a server instant on the plan's clock."""
    return legal_date(CLOCK, at)


class Ladder:
    """Runs the real workflows in a real worker on a fresh task queue, against stub activities."""

    def __init__(self, env: WorkflowEnvironment) -> None:
        self.env = env
        self.queue = f"workflow-test-{uuid4().hex}"
        self.script = Script()
        self.worker: Worker | None = None
        self.running: asyncio.Task[None] | None = None
        self.started: list[str] = []

    def _serve(self, script: Script) -> None:
        assert self.worker is None, "one script per test"
        self.script = script
        self.worker = Worker(
            self.env.client,
            task_queue=self.queue,
            workflows=[PartyServiceWorkflow, ServiceRequestWorkflow],
            activities=stub_activities(script, self.env.client),
            workflow_runner=WORKFLOW_RUNNER,
        )
        self.running = asyncio.create_task(self.worker.run())

    async def start(
        self, script: Script, kind: str = "person"
    ) -> WorkflowHandle[PartyServiceWorkflow, TaskOutcome]:
        """Starts one party's workflow; time stands still until the test awaits its result."""
        self._serve(script)
        task_id = f"task-{uuid4().hex[:12]}"
        inp = PartyInput(
            task_id, "req-test", "P1", kind, CASE_NUMBER, COURT_CODE, CLOCK, search_attributes=False
        )
        self.started.append(f"svc-{task_id}")
        return await self.env.client.start_workflow(
            PartyServiceWorkflow.run, inp, id=f"svc-{task_id}", task_queue=self.queue
        )

    async def start_request(
        self, script: Script, tasks: list[TaskRef]
    ) -> WorkflowHandle[ServiceRequestWorkflow, list[TaskOutcome]]:
        """Starts a request's workflow for the given parties (time stops at its outcome)."""
        script.freeze_at = "record_request_outcome"
        self._serve(script)
        request_id = f"req-{uuid4().hex[:12]}"
        inp = RequestInput(
            request_id, CASE_NUMBER, COURT_CODE, tasks, CLOCK, search_attributes=False
        )
        self.started += [f"sr-{request_id}", *(t.workflow_id for t in tasks)]
        return await self.env.client.start_workflow(
            ServiceRequestWorkflow.run, inp, id=f"sr-{request_id}", task_queue=self.queue
        )

    async def run(self, script: Script, kind: str = "person") -> TaskOutcome:
        """Runs one party's workflow to its end and returns its outcome."""
        return await self.result(await self.start(script, kind))

    async def result(self, handle: WorkflowHandle[Any, T]) -> T:
        """Lets time skip until the workflow ends; the clerks' answers must all have landed."""
        outcome = await handle.result()
        await self.script.settle(self.env.client)
        return outcome

    async def close(self) -> None:
        """Ends what a failed test left running, gives time back and stops the worker."""
        for workflow_id in self.started:
            with contextlib.suppress(RPCError):
                await self.env.client.get_workflow_handle(workflow_id).terminate("test over")
        await self.script.settle(self.env.client)
        if self.worker is not None:
            await self.worker.shutdown()
        if self.running is not None:
            await self.running


def task(party_ref: str, kind: str = "person") -> TaskRef:
    """Returns a fresh task of a request for one party."""
    task_id = f"task-{uuid4().hex[:12]}"
    return TaskRef(task_id, party_ref, kind, f"svc-{task_id}")

"""Stub activities: each answers as the test's script says and logs what the workflow asked."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from temporalio import activity
from temporalio.api.testservice.v1 import LockTimeSkippingRequest, UnlockTimeSkippingRequest
from temporalio.client import Client
from temporalio.exceptions import ApplicationError

from domain.pure.activity_io import (
    CalendarYearsInput,
    CloseWorkOrderInput,
    ContactsInput,
    OpenWorkOrderInput,
    PlanInput,
    ProgressInput,
    RepairInput,
    RepairResult,
    RequestOutcomeInput,
    SendInput,
    SendResult,
    TrackInput,
    TrackResult,
    WorkOrderAlertInput,
    WorkOrderAlertResult,
    WorkOrderPolicyInput,
)
from domain.pure.archive_io import ArchiveInput, ArchiveResult, HandBackInput, HandBackResult
from domain.pure.deadline_io import DeadlineFacts, DeadlineInput, DeadlineWarning
from domain.pure.ladder import (
    AdministeredYear,
    Contact,
    Plan,
    ProviderEvent,
    WorkOrderOutcome,
    WorkOrderPolicy,
)
from domain.pure.names import QUERY_PROGRESS, SIGNAL_PROVIDER_EVENT, UPDATE_WORK_ORDER_OUTCOME

# The centre's work-order timing the stubs answer with (one workday each).
POLICY = WorkOrderPolicy(remind_before_workdays=1, grace_workdays=1)


@dataclass(frozen=True)
class Call:
    """One call of a stub: the activity's name, its argument and the server's time of it."""

    name: str
    arg: Any
    at: datetime


class Letter:
    """A posted letter's tracking: each event kind with the daily poll that first shows it."""

    def __init__(self, *events: tuple[str, int]) -> None:
        self.events = events
        self.seen: dict[str, datetime] = {}  # kind -> when the post office first reported it

    def tracking(self, reference: str, poll: int, at: datetime) -> list[ProviderEvent]:
        """Returns what the post office reports on the nth poll: every event due by then."""
        for kind, day in self.events:
            if day <= poll:
                self.seen.setdefault(kind, at)
        why = (
            "refused" if any(kind == "refused" for kind, _ in self.events) else "no such recipient"
        )
        detail = {"reason": why}
        return [
            ProviderEvent(reference, kind, when.isoformat(), detail if kind == "returned" else {})
            for kind, when in self.seen.items()
        ]


@dataclass
class Script:
    """What the world answers in one test, and every call the workflows made of it."""

    plan: Plan | None = None  # what plan_service returns for any task
    plans: dict[str, Plan] = field(default_factory=dict)  # by task id, before `plan`
    receipts: dict[str, str] = field(default_factory=dict)  # contact kind -> receipt sent at once
    letters: list[Letter] = field(default_factory=list)  # one per letter posted, in order
    answers: list[WorkOrderOutcome | None] = field(default_factory=list)  # one per work order
    repaired: dict[int, list[Contact]] = field(default_factory=dict)  # by repair round
    failing: set[str] = field(default_factory=set)  # activities whose provider keeps failing
    deadline: DeadlineFacts = field(default_factory=DeadlineFacts)  # the hearing's, if any
    consent: bool = False  # load_contacts marks phones and e-mails as consented
    calendar: list[AdministeredYear] = field(default_factory=list)  # the years entered so far
    # The trail event (or activity) at which time stops: once the workflow has ended nothing
    # is pending, and the server would skip to stale timers of ended runs, years ahead.
    freeze_at: str = "finished"
    frozen: int = 0
    calls: list[Call] = field(default_factory=list)
    clerks: list[asyncio.Task[None]] = field(default_factory=list)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    def arguments(self, name: str) -> list[Any]:
        """Returns the arguments of every call of one activity, in order."""
        return [c.arg for c in self.calls if c.name == name]

    def calls_of(self, name: str) -> list[Call]:
        """Returns every call of one activity, in order."""
        return [c for c in self.calls if c.name == name]

    async def wait_for(self, name: str, n: int = 1) -> Call:
        """Waits (in real time, a few seconds at most) until the activity was called n times."""
        async with self.changed:
            await asyncio.wait_for(
                self.changed.wait_for(lambda: len(self.calls_of(name)) >= n), timeout=10
            )
        return self.calls_of(name)[n - 1]

    def trail(self, kind: str) -> list[ProgressInput]:
        """Returns the trail events of one kind the workflow recorded."""
        return [p for p in self.arguments("record_progress") if p.kind == kind]

    def steps(self) -> list[str]:
        """Returns the rungs climbed, in order."""
        return [p.step for p in self.trail("step_started")]

    def failures(self) -> list[str]:
        """Returns the reason of each failed rung, in order."""
        return [p.detail["reason"] for p in self.trail("step_failed")]

    def closed(self) -> list[tuple[str, str]]:
        """Returns each work order closed, with the outcome it was closed with."""
        return [(a.work_order_id, a.outcome) for a in self.arguments("close_work_order")]

    def legal_time(self) -> timedelta:
        """Returns the time from the plan to the task's end, on the server's (skipped) clock."""
        return self.trail_call("finished").at - self.calls_of("plan_service")[0].at

    def trail_call(self, kind: str) -> Call:
        """Returns the record_progress call that wrote the (first) event of one kind."""
        return next(c for c in self.calls_of("record_progress") if c.arg.kind == kind)

    async def settle(self, client: Client) -> None:
        """Waits for the clerks still answering and lets time run again once the test is done."""
        try:
            await asyncio.gather(*self.clerks)
        finally:
            for _ in range(self.frozen):
                await client.test_service.unlock_time_skipping(UnlockTimeSkippingRequest())
            self.frozen = 0

    async def freeze(self, client: Client, at: str) -> None:
        """Stops the server's clock if the workflow reached the script's last step."""
        if at == self.freeze_at:
            await client.test_service.lock_time_skipping(LockTimeSkippingRequest())
            self.frozen += 1


def stub_activities(script: Script, client: Client) -> list[Callable[..., Any]]:
    """Returns one stub per activity the workflows call, registered under its real name."""

    async def log(name: str, arg: Any, at: datetime | None = None) -> Call:
        call = Call(name, arg, at or activity.info().current_attempt_scheduled_time)
        script.calls.append(call)
        async with script.changed:
            script.changed.notify_all()
        if name in script.failing:
            raise ApplicationError(f"{name}: the provider keeps failing")
        return call

    async def receipt(arg: SendInput, at: datetime) -> None:
        kind = script.receipts.get(arg.contact.kind)
        if kind and not arg.flash:
            event = ProviderEvent(arg.reference, kind, at.isoformat())
            handle = client.get_workflow_handle(activity.info().workflow_id)
            await handle.signal(SIGNAL_PROVIDER_EVENT, event)

    @activity.defn(name="plan_service")
    async def plan_service(arg: PlanInput) -> Plan:
        await log("plan_service", arg)
        plan = script.plans.get(arg.task_id, script.plan)
        assert plan is not None, "the script has no plan for this task"
        # As the real activity: the hearing deadline's facts and the centre's work-order
        # timing come with the plan.
        if plan.deadline is None:
            plan = replace(plan, deadline=script.deadline)
        if plan.work_order_policy is None:
            plan = replace(plan, work_order_policy=POLICY)
        return plan

    @activity.defn(name="record_progress")
    async def record_progress(arg: ProgressInput) -> None:
        # A local activity's scheduled time is the worker's clock, not the server's skipped one;
        # the event's own time is the workflow's.
        await log("record_progress", arg, datetime.fromisoformat(arg.at))
        await script.freeze(client, arg.kind)

    @activity.defn(name="record_request_outcome")
    async def record_request_outcome(arg: RequestOutcomeInput) -> None:
        await log("record_request_outcome", arg)
        await script.freeze(client, "record_request_outcome")

    @activity.defn(name="load_contacts")
    async def load_contacts(arg: ContactsInput) -> list[Contact]:
        await log("load_contacts", arg)
        return [
            *(Contact("phone", i, f"139****{i:04d}", script.consent) for i in arg.phones),
            *(Contact("email", i, f"n***{i}@example.org", script.consent) for i in arg.emails),
            *(
                Contact("address", i, f"Test Lane {i} ***", arg.confirmed_addresses)
                for i in arg.addresses
            ),
        ]

    async def send(name: str, arg: SendInput) -> SendResult:
        call = await log(name, arg)
        await receipt(arg, call.at)
        return SendResult(arg.reference, f"{name}-{len(script.calls_of(name))}")

    @activity.defn(name="send_sms")
    async def send_sms(arg: SendInput) -> SendResult:
        return await send("send_sms", arg)

    @activity.defn(name="send_email")
    async def send_email(arg: SendInput) -> SendResult:
        return await send("send_email", arg)

    @activity.defn(name="send_letter")
    async def send_letter(arg: SendInput) -> SendResult:
        return await send("send_letter", arg)

    @activity.defn(name="track_letter")
    async def track_letter(arg: TrackInput) -> TrackResult:
        call = await log("track_letter", arg)
        number = int(arg.waybill.rsplit("-", 1)[1])
        letter = script.letters[number - 1] if number <= len(script.letters) else Letter()
        polls = sum(1 for a in script.arguments("track_letter") if a.waybill == arg.waybill)
        return TrackResult(letter.tracking(arg.reference, polls, call.at))

    @activity.defn(name="publish_notice")
    async def publish_notice(arg: SendInput) -> SendResult:
        return await send("publish_notice", arg)

    @activity.defn(name="repair_numbers")
    async def repair_numbers(arg: RepairInput) -> RepairResult:
        await log("repair_numbers", arg)
        return RepairResult(script.repaired.get(int(arg.reference.rsplit(":", 1)[1]), []))

    @activity.defn(name="open_work_order")
    async def open_work_order(arg: OpenWorkOrderInput) -> str:
        await log("open_work_order", arg)
        order_id = f"wo-{arg.kind}-{len(script.calls_of('open_work_order'))}"
        answers = script.answers
        answer = answers.pop(0) if answers else None
        if answer is not None:
            # Time stands still until the clerk has answered, as if they answered at once.
            await client.test_service.lock_time_skipping(LockTimeSkippingRequest())
            outcome = replace(answer, work_order_id=order_id)
            workflow_id = activity.info().workflow_id
            script.clerks.append(asyncio.create_task(_answer(client, workflow_id, outcome)))
        return order_id

    @activity.defn(name="close_work_order")
    async def close_work_order(arg: CloseWorkOrderInput) -> None:
        await log("close_work_order", arg)

    @activity.defn(name="work_order_policy")
    async def work_order_policy(arg: WorkOrderPolicyInput) -> WorkOrderPolicy:
        await log("work_order_policy", arg)
        return POLICY

    @activity.defn(name="remind_work_order")
    async def remind_work_order(arg: WorkOrderAlertInput) -> WorkOrderAlertResult:
        await log("remind_work_order", arg)
        return WorkOrderAlertResult(sent=True, recipients=1)

    @activity.defn(name="escalate_work_order")
    async def escalate_work_order(arg: WorkOrderAlertInput) -> WorkOrderAlertResult:
        await log("escalate_work_order", arg)
        return WorkOrderAlertResult(sent=True, recipients=2)

    @activity.defn(name="build_archive")
    async def build_archive(arg: ArchiveInput) -> ArchiveResult:
        await log("build_archive", arg)
        return ArchiveResult("a" * 64, 1024, "https://archive.example/test", "b" * 64)

    @activity.defn(name="deliver_callback")
    async def deliver_callback(arg: HandBackInput) -> HandBackResult:
        await log("deliver_callback", arg)
        return HandBackResult("delivered")

    @activity.defn(name="notify_judge")
    async def notify_judge(arg: HandBackInput) -> HandBackResult:
        await log("notify_judge", arg)
        return HandBackResult("sent")

    @activity.defn(name="assess_deadline")
    async def assess_deadline(arg: DeadlineInput) -> DeadlineFacts:
        await log("assess_deadline", arg)
        return script.deadline

    @activity.defn(name="warn_deadline_risk")
    async def warn_deadline_risk(arg: DeadlineWarning) -> None:
        await log("warn_deadline_risk", arg)

    @activity.defn(name="load_calendar_years")
    async def load_calendar_years(arg: CalendarYearsInput) -> list[AdministeredYear]:
        await log("load_calendar_years", arg)
        return [y for y in script.calendar if y.year in arg.years]

    return [
        plan_service, record_progress, record_request_outcome, load_contacts, send_sms,
        send_email, send_letter, track_letter, publish_notice, repair_numbers, open_work_order,
        close_work_order, work_order_policy, remind_work_order, escalate_work_order,
        build_archive, deliver_callback, notify_judge, assess_deadline, warn_deadline_risk,
        load_calendar_years,
    ]  # fmt: skip


async def open_order(client: Client, workflow_id: str, order_id: str) -> None:
    """Waits until the party's workflow shows the work order as open (its outcome is awaited)."""
    handle = client.get_workflow_handle(workflow_id)
    for _ in range(1000):
        progress = await handle.query(QUERY_PROGRESS)
        if progress["open_work_order"] == order_id:
            return
        await asyncio.sleep(0.005)
    raise TimeoutError(f"work order {order_id} never opened")


async def _answer(client: Client, workflow_id: str, outcome: WorkOrderOutcome) -> None:
    """Gives the clerk's or bailiff's outcome as soon as the order is open, then lets time run."""
    try:
        await open_order(client, workflow_id, outcome.work_order_id)
        handle = client.get_workflow_handle(workflow_id)
        await handle.execute_update(UPDATE_WORK_ORDER_OUTCOME, outcome)
    finally:
        await client.test_service.unlock_time_skipping(UnlockTimeSkippingRequest())

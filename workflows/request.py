"""ServiceRequestWorkflow: serves every party of a request, each in its own child workflow."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributePair, TypedSearchAttributes
from temporalio.workflow import ParentClosePolicy

from domain.pure import summary_texts as texts
from domain.pure.activity_io import RequestOutcomeInput
from domain.pure.archive_io import ArchiveInput, HandBackInput
from domain.pure.ladder import (
    Clock,
    PartyInput,
    RequestInput,
    RequestStatus,
    StepControl,
    TaskOutcome,
    TaskRef,
)
from domain.pure.names import (
    REQUEST_WORKFLOW,
    SA_CASE_NUMBER,
    SA_COURT_CODE,
    SA_PARTY_KIND,
    SIGNAL_CANCEL,
    SIGNAL_CANCEL_REQUEST,
)
from workflows import activity_stubs as stubs
from workflows import shape
from workflows.options import TRAIL
from workflows.party import PartyServiceWorkflow
from workflows.writes import write

# From this patch on the request's outcome is written by a local activity: one marker in the
# history instead of an activity's three events and a workflow task (issue 16).
OUTCOME_LOCAL_PATCH = "request-outcome-local"

# Building the archive retries without limit: a missing font or store outage only delays it.
ARCHIVE_OPTIONS: dict[str, Any] = {
    "start_to_close_timeout": timedelta(minutes=5),
    "retry_policy": RetryPolicy(
        initial_interval=timedelta(seconds=2), maximum_interval=timedelta(minutes=5)
    ),
}
# The case system may be down for days: retry until it answers 2xx, at most hourly.
CALLBACK_OPTIONS: dict[str, Any] = {
    "start_to_close_timeout": timedelta(seconds=30),
    "retry_policy": RetryPolicy(
        initial_interval=timedelta(seconds=1),
        backoff_coefficient=2.0,
        maximum_interval=timedelta(hours=1),
    ),
}


@workflow.defn(name=REQUEST_WORKFLOW)
class ServiceRequestWorkflow:
    """Starts one PartyServiceWorkflow per party, waits for all, and records the outcome."""

    def __init__(self) -> None:
        self.cancelled: StepControl | None = None
        self.tasks: list[TaskRef] = []

    @workflow.run
    async def run(self, inp: RequestInput) -> list[TaskOutcome]:
        """Serves every party; the request is complete when each has ended."""
        shape.begin((shape.REQUEST_SHAPE,))
        self.tasks = inp.tasks
        # One origin for the whole request, so every party's legal dates share one calendar.
        clock = (
            inp.clock if inp.clock.origin else replace(inp.clock, origin=workflow.now().isoformat())
        )
        handles = [await self._start_party(inp, task, clock) for task in inp.tasks]
        outcomes = list(await asyncio.gather(*handles))
        status = RequestStatus.CANCELLED if self.cancelled else RequestStatus.COMPLETED
        await self._record_outcome(RequestOutcomeInput(inp.request_id, status, outcomes))
        if status == RequestStatus.COMPLETED and shape.patched("archive-and-callback"):
            await self._hand_back(inp, status)
        return outcomes

    async def _record_outcome(self, outcome: RequestOutcomeInput) -> None:
        """Marks the request ended; a local activity from this patch on, as the party's trail."""
        summary = texts.REQUEST_OUTCOME.get(outcome.status, str(outcome.status))
        await write(OUTCOME_LOCAL_PATCH, stubs.record_request_outcome, outcome, summary)

    async def _hand_back(self, inp: RequestInput, status: str) -> None:
        """Archives the request, then calls the case system back and tells the judge."""
        workflow_id = workflow.info().workflow_id
        workflow.set_current_details(f"**归档中** {inp.case_number}")
        archive = await workflow.execute_activity(
            stubs.build_archive,
            ArchiveInput(inp.request_id, workflow_id),
            summary=texts.ARCHIVE.format(case=inp.case_number),
            **ARCHIVE_OPTIONS,
        )
        back = HandBackInput(inp.request_id, status, archive.sha256, workflow_id)
        workflow.set_current_details(
            f"**已归档** {archive.sha256[:12]} · 回传案件系统，短信通知承办法官"
        )
        # Both start at once: a case system that is down must not hold back the judge's SMS.
        callback = workflow.start_activity(
            stubs.deliver_callback,
            back,
            summary=texts.CALLBACK.format(sha=archive.sha256[:12]),
            **CALLBACK_OPTIONS,
        )
        await workflow.execute_activity(
            stubs.notify_judge,
            back,
            summary=texts.JUDGE_SMS.format(case=inp.case_number),
            **TRAIL,
        )
        done = await callback
        workflow.set_current_details(f"**已回传** · 回调结果 {done.outcome}")

    async def _start_party(
        self, inp: RequestInput, task: TaskRef, clock: Clock
    ) -> workflow.ChildWorkflowHandle[PartyServiceWorkflow, TaskOutcome]:
        attributes = None
        if inp.search_attributes:
            attributes = TypedSearchAttributes(
                [
                    SearchAttributePair(SA_CASE_NUMBER, inp.case_number),
                    SearchAttributePair(SA_COURT_CODE, inp.court_code),
                    SearchAttributePair(SA_PARTY_KIND, task.party_kind),
                ]
            )
        # ABANDON: ops may reset or retry one party without touching the others, and a
        # party's legal service never stops because its parent was terminated.
        return await workflow.start_child_workflow(
            PartyServiceWorkflow.run,
            PartyInput(
                task.task_id,
                inp.request_id,
                task.party_ref,
                task.party_kind,
                inp.case_number,
                inp.court_code,
                clock,
                inp.search_attributes,
            ),
            id=task.workflow_id,
            parent_close_policy=ParentClosePolicy.ABANDON,
            search_attributes=attributes,
            static_summary=texts.PARTY_CHILD.format(ref=task.party_ref),
        )

    @workflow.signal(name=SIGNAL_CANCEL_REQUEST)
    async def cancel_request(self, control: StepControl) -> None:
        """Cancels every party's ladder."""
        if self.cancelled is not None:
            return
        self.cancelled = control
        for task in self.tasks:
            try:
                await workflow.get_external_workflow_handle(task.workflow_id).signal(
                    SIGNAL_CANCEL, control
                )
            except Exception:  # noqa: BLE001 - a party that already ended needs no cancel
                workflow.logger.info("party %s already ended", task.party_ref)

"""Writes the party's trail and keeps its visible state (search attributes, details) current."""

from __future__ import annotations

from temporalio import workflow

from domain.pure import summary_texts as summaries
from domain.pure.activity_io import ProgressInput
from domain.pure.clock import legal_date
from domain.pure.ladder import PartyInput, Plan, TaskStatus
from domain.pure.names import SA_SERVICE_STATUS, SA_SERVICE_STEP
from workflows import activity_stubs as stubs
from workflows.writes import write

# From this patch on the trail is written by local activities: the worker that runs the
# workflow task writes the event at once, and the history keeps one marker per event instead
# of a scheduled, started and completed activity and a workflow task to resume (issue 16).
# Histories recorded before it keep their remote record_progress activities on replay.
TRAIL_LOCAL_PATCH = "trail-local-activity"


class Recorder:
    """Base of PartyServiceWorkflow: every state change goes to the trail and the UI."""

    inp: PartyInput
    plan: Plan
    seq: int = 0
    step: str = ""
    status: str = TaskStatus.PENDING

    async def _record(
        self,
        kind: str,
        detail: dict[str, str],
        *,
        status: str = "",
        method: str = "",
        served_on: str = "",
        reason: str = "",
        count_attempt: bool = False,
    ) -> None:
        self.seq += 1
        now = workflow.now()
        info = workflow.info()
        # Run id and sequence: a retried activity never writes the event twice, while a reset
        # run writes its own events beside the old ones, as the trail should show.
        progress = ProgressInput(
            task_id=self.inp.task_id,
            event_key=f"{info.workflow_id}:{info.run_id}:{self.seq}",
            seq=self.seq,
            at=now.isoformat(),
            legal_date=legal_date(self.inp.clock, now).isoformat(),
            step=self.step,
            kind=kind,
            detail=detail,
            status=status,
            method=method,
            served_on=served_on,
            reason=reason,
            count_attempt=count_attempt,
        )
        summary = summaries.trail_summary(kind)
        await write(TRAIL_LOCAL_PATCH, stubs.record_progress, progress, summary)

    async def _note(self, kind: str, detail: dict[str, str]) -> None:
        """Adds an event to the timeline without changing the task's state."""
        await self._record(kind, detail)

    async def _set_status(self, status: TaskStatus, *, publish: bool = True) -> None:
        """Changes the task's status, in the trail and (unless the caller will) the UI's."""
        if status == self.status:
            return
        self.status = status
        if publish:
            self._publish()
        await self._record("status", {"status": status}, status=status)

    def _publish(self) -> None:
        workflow.set_current_details(summaries.current_details(self.step, str(self.status)))
        if self.inp.search_attributes:
            workflow.upsert_search_attributes(
                [
                    SA_SERVICE_STEP.value_set(self.step or "plan"),
                    SA_SERVICE_STATUS.value_set(self.status),
                ]
            )

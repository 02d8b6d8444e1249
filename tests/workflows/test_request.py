"""ServiceRequestWorkflow: a child ladder per party, the request's outcome and the hand-back."""

from __future__ import annotations

from domain.pure.ladder import RequestStatus, Step, StepControl, TaskStatus
from domain.pure.names import SIGNAL_CANCEL_REQUEST
from tests.workflows.harness import EMAIL, Ladder, plan, rung, task
from tests.workflows.stubs import Script


async def test_request_serves_every_party_then_hands_back(ladder: Ladder) -> None:
    """Each party climbs its own ladder; when all have ended the archive goes back."""
    first, second = task("P1"), task("P2", "organization")
    plans = {
        first.task_id: plan(rung(Step.ELECTRONIC, EMAIL)),
        second.task_id: plan(rung(Step.PUBLIC_NOTICE)),
    }
    script = Script(plans=plans, receipts={"email": "confirmed"})
    handle = await ladder.start_request(script, [first, second])
    outcomes = await ladder.result(handle)
    assert [(o.task_id, o.status, o.method) for o in outcomes] == [
        (first.task_id, TaskStatus.SERVED, Step.ELECTRONIC),
        (second.task_id, TaskStatus.SERVED, Step.PUBLIC_NOTICE),
    ]
    recorded = script.arguments("record_request_outcome")[0]
    assert (recorded.status, recorded.outcomes) == (RequestStatus.COMPLETED, outcomes)
    archive = script.arguments("build_archive")[0]
    assert archive.request_id == recorded.request_id
    for name in ("deliver_callback", "notify_judge"):
        assert script.arguments(name)[0].archive_sha256 == "a" * 64


async def test_cancelling_the_request_cancels_every_party(ladder: Ladder) -> None:
    """A cancelled request cancels each party's ladder and is not archived."""
    first, second = task("P1"), task("P2")
    script = Script(plan(rung(Step.PUBLIC_NOTICE)))
    handle = await ladder.start_request(script, [first, second])
    await script.wait_for("publish_notice", 2)
    await handle.signal(SIGNAL_CANCEL_REQUEST, StepControl("judge-test", "case withdrawn"))
    outcomes = await ladder.result(handle)
    assert [(o.status, o.reason) for o in outcomes] == [
        (TaskStatus.CANCELLED, "case withdrawn")
    ] * 2
    assert script.arguments("record_request_outcome")[0].status == RequestStatus.CANCELLED
    assert script.calls_of("build_archive") == []

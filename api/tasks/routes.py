"""Routes of service tasks: timeline, retry, skip-step, skip-to-direct, new contacts."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ContactEditor, DirectServer, Operator, RequestReader, SessionDep, TemporalDep
from api.tasks import control as control_service
from api.tasks.bodies import ContactsIn, ContactsOut, ControlIn, ControlOut, TimelineOut
from api.tasks.contacts import add_contacts
from domain.pure.names import SIGNAL_RETRY_STEP, SIGNAL_SKIP_STEP, SIGNAL_SKIP_TO_DIRECT

router = APIRouter(prefix="/v1/tasks", tags=["tasks"])


@router.get("/{task_id}/timeline", response_model=TimelineOut)
def timeline(task_id: str, user: RequestReader, session: SessionDep) -> TimelineOut:
    """Returns the task's events in order; the first is its plan."""
    return control_service.timeline(session=session, user=user, task_id=task_id)


@router.post("/{task_id}/retry", status_code=202, response_model=ControlOut)
async def retry(
    task_id: str,
    user: Operator,
    session: SessionDep,
    temporal: TemporalDep,
    body: ControlIn | None = None,
) -> ControlOut:
    """Tries the current step again now; 409 when the task is finished."""
    return await control_service.control_task(
        session=session, temporal=temporal, user=user, task_id=task_id,
        signal_name=SIGNAL_RETRY_STEP, reason=body.reason if body else "",
    )  # fmt: skip


@router.post("/{task_id}/skip-step", status_code=202, response_model=ControlOut)
async def skip_step(
    task_id: str,
    user: Operator,
    session: SessionDep,
    temporal: TemporalDep,
    body: ControlIn | None = None,
) -> ControlOut:
    """Gives up the current step and goes on with the ladder; 409 when the task is finished."""
    return await control_service.control_task(
        session=session, temporal=temporal, user=user, task_id=task_id,
        signal_name=SIGNAL_SKIP_STEP, reason=body.reason if body else "",
    )  # fmt: skip


@router.post("/{task_id}/skip-to-direct", status_code=202, response_model=ControlOut)
async def skip_to_direct(
    task_id: str,
    user: DirectServer,
    session: SessionDep,
    temporal: TemporalDep,
    body: ControlIn | None = None,
) -> ControlOut:
    """Leaves out every rung before direct service (a remedy for a hearing at risk); 409 if done."""
    return await control_service.control_task(
        session=session, temporal=temporal, user=user, task_id=task_id,
        signal_name=SIGNAL_SKIP_TO_DIRECT, reason=body.reason if body else "",
    )  # fmt: skip


@router.post("/{task_id}/contacts", status_code=202, response_model=ContactsOut)
async def contacts(
    task_id: str,
    body: ContactsIn,
    user: ContactEditor,
    session: SessionDep,
    temporal: TemporalDep,
) -> ContactsOut:
    """Adds phones, e-mails or addresses to the party and tells its workflow."""
    return await add_contacts(
        session=session, temporal=temporal, user=user, task_id=task_id, body=body
    )

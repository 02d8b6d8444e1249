"""The workflows' own actions in the audit chain: a task served, failed or moved to a step."""

from __future__ import annotations

from sqlalchemy.orm import Session

from domain.pure.activity_io import ProgressInput
from domain.pure.names import request_workflow_id
from domain.store.audit import record_audit
from domain.tables.core import ServiceRequest, ServiceTask

WORKFLOW_ROLE = "workflow"
FINAL_STATUSES = frozenset({"served", "failed"})


def progress_action(task: ServiceTask, arg: ProgressInput) -> str | None:
    """Returns the audit action a trail event stands for, or None when it is routine."""
    if arg.status in FINAL_STATUSES and arg.status != task.status:
        return f"task.{arg.status}"
    if arg.kind == "step_failed":
        return "task.step_failed"
    if arg.step and arg.step != task.step:
        return "task.step_changed"
    return None


def audit_progress(session: Session, task: ServiceTask, arg: ProgressInput) -> None:
    """Appends the workflow's action to the chain, in the trail event's transaction."""
    action = progress_action(task, arg)
    if action is None:
        return
    detail = {"event": arg.kind, "from_step": task.step or "", "step": arg.step}
    detail.update({key: value for key, value in _outcome(arg).items() if value})
    record_audit(
        session,
        actor=task.workflow_id,
        role=WORKFLOW_ROLE,
        action=action,
        target=task.id,
        court_code=session.get_one(ServiceRequest, task.request_id).court_code,
        detail=detail,
    )


def _outcome(arg: ProgressInput) -> dict[str, str]:
    # Method, legal date and a reason code; never a contact (the detail map carries those).
    return {"method": arg.method, "served_on": arg.served_on, "reason": arg.reason[:200]}


def audit_request_outcome(session: Session, request: ServiceRequest, status: str) -> None:
    """Appends the request workflow's end (completed or cancelled), once per change."""
    if request.status == status:
        return
    record_audit(
        session,
        actor=request_workflow_id(request.id),
        role=WORKFLOW_ROLE,
        action=f"request.{status}",
        target=request.id,
        court_code=request.court_code,
        detail={"from_status": request.status},
    )

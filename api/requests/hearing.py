"""Moving the hearing: the remedy that changes the deadline, told to every open party."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.audit.context import audit_user_action
from api.errors import Conflict, Invalid
from api.fields import StrictBody
from api.requests.bodies import RequestOut
from api.requests.service import readable_request
from api.requests.views import request_out
from api.temporal import TemporalHolder, signal
from domain.pure.clock import BEIJING
from domain.pure.ladder import StepControl
from domain.pure.names import SIGNAL_HEARING_MOVED
from domain.tables.core import User

OPEN = ("pending", "serving", "waiting_human", "stuck")


class HearingIn(StrictBody):
    """The hearing's new time, with its offset."""

    hearing_at: Annotated[AwareDatetime, AfterValidator(lambda t: t.astimezone(UTC))]


def _move(session: Session, user: User, request_id: str, body: HearingIn) -> list[str]:
    request = readable_request(session=session, user=user, request_id=request_id)
    if request.status != "in_progress":
        raise Conflict(f"the request is already {request.status}")
    day = body.hearing_at.astimezone(BEIJING).date()
    if request.accepted_on is not None and day < request.accepted_on:
        raise Invalid([(("body", "hearing_at"), "hearing_at lies before accepted_on")])
    old = request.hearing_at.isoformat() if request.hearing_at else ""
    request.hearing_at = body.hearing_at
    audit_user_action(session, user, action="request.hearing_moved", target=f"request:{request.id}",
                      court_code=request.court_code,
                      detail={"from": old, "to": body.hearing_at.isoformat()})  # fmt: skip
    session.commit()
    return [t.workflow_id for t in request.tasks if t.status in OPEN]


async def move_hearing(
    *, session: Session, temporal: TemporalHolder, user: User, request_id: str, body: HearingIn
) -> RequestOut:
    """Stores the new hearing (audited) and tells each open party to read its deadline again."""
    client = await temporal.client()  # 503 before anything changes when Temporal is down
    workflows = await run_in_threadpool(_move, session, user, request_id, body)
    control = StepControl(actor=user.name, reason="hearing moved")
    for workflow_id in workflows:
        # A party that ended meanwhile needs nothing; the others read it before their next rung.
        await signal(client, workflow_id, SIGNAL_HEARING_MOVED, control)
    return await run_in_threadpool(
        lambda: request_out(session, readable_request(session=session, user=user,
                                                      request_id=request_id))
    )  # fmt: skip

"""Routes of service requests: submit, list, read, cancel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.access.auth import CASE_SYSTEM
from api.deps import (
    Canceller,
    RequestReader,
    SessionDep,
    SessionFactoryDep,
    SettingsDep,
    StoreDep,
    Submitter,
    TemporalDep,
)
from api.errors import Forbidden
from api.requests import service as requests_service
from api.requests.bodies import RequestListOut, RequestOut, SubmissionIn
from api.requests.hearing import HearingIn, move_hearing
from api.tasks.bodies import ControlIn
from api.tasks.control import cancel_request

router = APIRouter(prefix="/v1/service-requests", tags=["service requests"])


@router.post(
    "",
    status_code=201,
    response_model=RequestOut,
    responses={200: {"description": "The same external_id again: the earlier request."}},
)
async def submit(
    body: SubmissionIn,
    response: Response,
    user: Submitter,
    session: SessionDep,
    factory: SessionFactoryDep,
    store: StoreDep,
    temporal: TemporalDep,
    settings: SettingsDep,
) -> RequestOut:
    """Submits a service request; the same external_id again answers 200 with the first one."""
    if user.role == CASE_SYSTEM and user.court_code is None:
        # Bound to its court, a case system cannot file under another court's code.
        raise Forbidden(
            "this case system is bound to no court: the system administrator gives it one "
            "(songda user add NAME --role case_system --court CODE)"
        )
    view, created = await requests_service.submit_request(
        session=session, factory=factory, store=store, temporal=temporal, settings=settings,
        user=user, body=body,
    )  # fmt: skip
    if not created:
        response.status_code = 200
    return view


@router.get("", response_model=RequestListOut)
def list_requests(
    user: RequestReader,
    session: SessionDep,
    external_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> RequestListOut:
    """Lists the caller's requests, newest first."""
    return requests_service.list_requests(
        session=session, user=user, external_id=external_id, limit=limit, offset=offset,
    )  # fmt: skip


@router.get("/{request_id}", response_model=RequestOut)
def get_request(request_id: str, user: RequestReader, session: SessionDep) -> RequestOut:
    """Returns a request with each party's step and outcome."""
    return requests_service.get_request(session=session, user=user, request_id=request_id)


@router.post("/{request_id}/cancel", status_code=202, response_model=RequestOut)
async def cancel(
    request_id: str,
    user: Canceller,
    session: SessionDep,
    factory: SessionFactoryDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    body: ControlIn | None = None,
) -> RequestOut:
    """Cancels the request and every party still being served; 409 once it is finished."""
    return await cancel_request(
        session=session, factory=factory, temporal=temporal, settings=settings, user=user,
        request_id=request_id, reason=body.reason if body else "",
    )  # fmt: skip


@router.put("/{request_id}/hearing", response_model=RequestOut)
async def hearing(
    request_id: str,
    body: HearingIn,
    user: Submitter,
    session: SessionDep,
    temporal: TemporalDep,
) -> RequestOut:
    """Moves the hearing; each open party reads its deadline again before its next rung."""
    return await move_hearing(
        session=session, temporal=temporal, user=user, request_id=request_id, body=body
    )

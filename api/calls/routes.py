"""Routes of the call screen: click-to-call, fetching a call's record, the call script."""

from __future__ import annotations

from fastapi import APIRouter

from api.calls import script as script_service
from api.calls import service as calls_service
from api.calls.bodies import CallStartOut, DialIn, LineCallOut, ScriptOut
from api.deps import OrderHandler, SessionDep, SettingsDep, StoreDep

router = APIRouter(prefix="/v1/work-orders", tags=["calls"])


@router.post("/{order_id}/call", response_model=CallStartOut, status_code=201)
def start_call(
    order_id: str,
    user: OrderHandler,
    session: SessionDep,
    settings: SettingsDep,
    body: DialIn | None = None,
) -> CallStartOut:
    """Dials the party from the clerk's extension; the number never appears in clear."""
    index = body.phone_index if body is not None else 0
    return calls_service.start_call(
        session=session, settings=settings, user=user, order_id=order_id, phone_index=index,
    )  # fmt: skip


@router.post("/{order_id}/calls/{call_id}/fetch", response_model=LineCallOut)
def fetch_call(
    order_id: str,
    call_id: str,
    user: OrderHandler,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
) -> LineCallOut:
    """Attaches an ended call's record and recording to the order (once); `fetched` is false
    while the call goes on. The API also fetches ended calls by itself every few seconds."""
    return calls_service.fetch_call(
        session=session, store=store, settings=settings, call_id=call_id, user=user,
        order_id=order_id,
    )  # fmt: skip


@router.get("/{order_id}/script", response_model=ScriptOut)
def call_script(order_id: str, user: OrderHandler, session: SessionDep) -> ScriptOut:
    """Returns the call script for the order's party (its name masked)."""
    return script_service.order_script(session=session, user=user, order_id=order_id)

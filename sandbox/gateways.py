"""The providers songda's worker calls: SMS gateway, e-mail, post office, notices.

The telecom operators live in sandbox/operators.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import structlog
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from domain.pure.masking import mask_address, mask_email, mask_phone
from sandbox import channel_faults, recipient, world
from sandbox.deps import NotifierDep, RecordsDep
from sandbox.notifier import PROVIDER_EMAIL, PROVIDER_POST, PROVIDER_SMS, Event, OnOccur, now_iso
from sandbox.schemas import (
    EmailIn,
    NoticeIn,
    NoticeOut,
    SendOut,
    SmsIn,
    WaybillIn,
    WaybillOut,
    WaybillStatus,
)
from sandbox.state import Item, Records

router = APIRouter()
log = structlog.get_logger(__name__)
GATEWAY_DOWN = {"error": "gateway unavailable"}


def _tracker(
    records: Records,
    kind: str,
    key: str,
    value: str,
    on_delivered: Callable[[], None] | None = None,
) -> OnOccur:
    """Returns the hook that writes an occurred event into the sent item's status."""

    def track(event: Event) -> None:
        def change(item: Item) -> None:
            item["status"] = event["kind"]
            item["events"].append({k: event[k] for k in ("kind", "occurred_at", "detail")})

        records.update(kind, key, value, change)
        if on_delivered is not None and event["kind"] == "delivered":
            on_delivered()

    return track


def _reader(app_state: Any, channel: str, body: SmsIn | EmailIn) -> Callable[[], None]:
    """Returns what a delivery sets off: the simulated recipient may open the message's link."""
    flash = isinstance(body, SmsIn) and body.flash
    params = body.template_params.values() if isinstance(body, SmsIn) else ()
    text = " ".join([body.text, *params])

    def read() -> None:
        recipient.after_message(app_state, channel, body.to, text, flash, body.seconds_per_day)

    return read


def _sent(body: SmsIn | EmailIn, message_id: str) -> Item:
    item: Item = body.model_dump(exclude={"seconds_per_day"})
    return {**item, "message_id": message_id, "at": now_iso(), "status": "sent", "events": []}


@router.post(
    "/gateway/sms",
    response_model=SendOut,
    tags=["providers"],
    responses={503: {"description": "the gateway is down for this number (ends in 9)"}},
)
async def send_sms(
    body: SmsIn, request: Request, records: RecordsDep, notifier: NotifierDep
) -> SendOut | JSONResponse:
    """Sends an SMS once per reference, schedules its receipts; the recipient may open it."""
    if (refused := await channel_faults.refusal(records, "sms")) is not None:
        return refused
    if world.sms_gateway_down(body.to):
        records.add("sms_refused", {"to": body.to, "reference": body.reference, "at": now_iso()})
        log.warning("sandbox.sms_refused", to=mask_phone(body.to))
        return JSONResponse(status_code=503, content=GATEWAY_DOWN)
    message_id = f"sms-{uuid.uuid4().hex}"
    item, duplicate = records.add_once("sms", body.reference, lambda: _sent(body, message_id))
    if not duplicate:
        notifier.schedule(
            provider=PROVIDER_SMS,
            reference=body.reference,
            seconds_per_day=body.seconds_per_day,
            planned=world.sms_events(body.to, flash=body.flash),
            detail={"message_id": item["message_id"]},
            on_occur=_tracker(
                records,
                "sms",
                "message_id",
                item["message_id"],
                _reader(request.app.state, "sms", body),
            ),
        )
        log.info("sandbox.sms_sent", to=mask_phone(body.to), flash=body.flash)
    return SendOut(message_id=item["message_id"], duplicate=duplicate)


@router.post("/gateway/email", response_model=SendOut, tags=["providers"])
async def send_email(
    body: EmailIn, request: Request, records: RecordsDep, notifier: NotifierDep
) -> SendOut | JSONResponse:
    """Sends an e-mail once per reference, schedules its receipts; the recipient may open it."""
    if (refused := await channel_faults.refusal(records, "email")) is not None:
        return refused
    message_id = f"mail-{uuid.uuid4().hex}"
    item, duplicate = records.add_once("email", body.reference, lambda: _sent(body, message_id))
    if not duplicate:
        notifier.schedule(
            provider=PROVIDER_EMAIL,
            reference=body.reference,
            seconds_per_day=body.seconds_per_day,
            planned=world.email_events(body.to),
            detail={"message_id": item["message_id"]},
            on_occur=_tracker(
                records,
                "email",
                "message_id",
                item["message_id"],
                _reader(request.app.state, "email", body),
            ),
        )
        log.info("sandbox.email_sent", to=mask_email(body.to))
    return SendOut(message_id=item["message_id"], duplicate=duplicate)


def _waybill_item(body: WaybillIn) -> Item:
    item: Item = body.model_dump(exclude={"seconds_per_day"})
    waybill = f"EMS{uuid.uuid4().int % 10**10:010d}CN"
    # Accepted at the counter: in transit until the first scan says otherwise.
    return {**item, "waybill": waybill, "at": now_iso(), "status": "in_transit", "events": []}


@router.post("/post/waybills", response_model=WaybillOut, tags=["providers"])
async def post_letter(
    body: WaybillIn, records: RecordsDep, notifier: NotifierDep
) -> WaybillOut | JSONResponse:
    """Posts a registered letter once per reference and schedules its tracking events."""
    if (refused := await channel_faults.refusal(records, "post")) is not None:
        return refused
    item, duplicate = records.add_once("post", body.reference, lambda: _waybill_item(body))
    if not duplicate:
        notifier.schedule(
            provider=PROVIDER_POST,
            reference=body.reference,
            seconds_per_day=body.seconds_per_day,
            planned=world.post_events(body.address),
            detail={"waybill": item["waybill"]},
            on_occur=_tracker(records, "post", "waybill", item["waybill"]),
        )
        log.info("sandbox.letter_posted", address=mask_address(body.address))
    return WaybillOut(waybill=item["waybill"], duplicate=duplicate)


@router.get("/post/waybills/{waybill}", response_model=WaybillStatus, tags=["providers"])
async def track_letter(waybill: str, records: RecordsDep) -> WaybillStatus:
    """Returns a waybill's status and tracking events, for polling."""
    item = records.find("post", "waybill", waybill)
    if item is None:
        raise HTTPException(404, "unknown waybill: check the number the post office returned")
    return WaybillStatus(waybill=waybill, status=item["status"], events=item["events"])


@router.post("/notices", response_model=NoticeOut, tags=["providers"])
async def publish_notice(body: NoticeIn, records: RecordsDep) -> NoticeOut:
    """Publishes a public notice once per reference."""

    def make() -> Item:
        notice_id = f"notice-{uuid.uuid4().hex}"
        return {**body.model_dump(), "notice_id": notice_id, "published_at": now_iso()}

    item, duplicate = records.add_once("notices", body.reference, make)
    if not duplicate:
        log.info("sandbox.notice_published", notice_id=item["notice_id"])
    return NoticeOut(
        notice_id=item["notice_id"], published_at=item["published_at"], duplicate=duplicate
    )

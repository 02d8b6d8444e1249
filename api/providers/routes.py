"""Route of provider events: signed webhooks, no bearer token."""

from __future__ import annotations

import json
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from api.deps import SessionDep, SettingsDep, TemporalDep
from api.providers.bodies import ProviderAckOut, ProviderEventIn
from api.providers.service import accept_event, record_refusal
from domain.crypto.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from domain.pure.providers import PROVIDERS

router = APIRouter(prefix="/v1/providers", tags=["providers"])
log = structlog.get_logger(__name__)

Provider = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


def _parse(raw: bytes) -> tuple[ProviderEventIn, dict[str, Any]]:
    try:
        event = ProviderEventIn.model_validate_json(raw)
    except ValidationError as exc:
        errors = [{**err, "loc": ("body", *err["loc"])} for err in exc.errors()]
        raise RequestValidationError(errors) from None
    return event, json.loads(raw)


@router.post(
    "/{provider}/events",
    response_model=ProviderAckOut,
    responses={
        401: {"description": "Unsigned, badly signed, stale, or signed for another provider."},
        403: {"description": "The attempt belongs to another provider."},
        422: {"description": "A kind this provider cannot report (e.g. a party's confirmation)."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ProviderEventIn.model_json_schema()}},
        }
    },
)
async def provider_event(
    provider: Provider,
    request: Request,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
) -> ProviderAckOut:
    """Accepts a signed event (HMAC-SHA256 over `provider.timestamp.body` with its secret)."""
    raw = await request.body()  # bounded by api/body_limit.py before it is read
    # Each provider has its own secret; an unknown provider has none, so nothing verifies.
    secret = settings.provider_secret_map.get(provider, "") if provider in PROVIDERS else ""
    signed = verify(
        secret,
        request.headers.get(TIMESTAMP_HEADER),
        request.headers.get(SIGNATURE_HEADER),
        raw,
        settings.provider_event_max_age_seconds,
        scope=provider,
    )
    if not signed:
        log.warning("provider.event_refused", provider=provider)
        await run_in_threadpool(record_refusal, session=session, provider=provider)
        raise HTTPException(status_code=401, detail="the event is unsigned, badly signed or stale")
    event, body = _parse(raw)
    allowed = PROVIDERS[provider].kinds
    if event.kind not in allowed:
        # An SMS gateway or the post office cannot know that a party confirmed receipt: only the
        # portal's receipts carry that, so such a webhook is a forgery whoever signed it.
        await run_in_threadpool(record_refusal, session=session, provider=provider, why="kind")
        raise HTTPException(
            status_code=422,
            detail=f"kind {event.kind!r} is not an event {provider} can report; "
            f"it reports {', '.join(sorted(allowed))}",
        )
    return await accept_event(
        session=session, temporal=temporal, provider=provider, event=event, raw=body
    )

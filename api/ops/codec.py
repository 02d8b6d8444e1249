"""Temporal's remote codec endpoint: the Temporal UI and CLI read (and write) encrypted payloads.

POST /codec/decode and /codec/encode take and answer `{"payloads": [...]}` in the protobuf JSON
form (base64 metadata values and data). Reading payloads is for ops, supervisors and auditors;
encoding (what the UI does to start or signal a workflow) only for ops and supervisors; in
development the local Temporal UI needs no token (api/ops/codec_access.py). Every call is
audited with its payload count, never the content.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from google.protobuf import json_format
from starlette.concurrency import run_in_threadpool
from temporalio.api.common.v1 import Payloads

from api.audit.context import audit_user_action
from api.deps import SessionFactoryDep, SettingsDep
from api.ops.codec_access import CodecReader, CodecWriter
from domain.crypto.keyring import SealError
from domain.tables.core import User
from payload_codec import EncryptionCodec

router = APIRouter(prefix="/codec", tags=["temporal codec"])

# The audit administrator reads the audit and nothing else (three-role separation): payloads
# are not the audit, so it is not among the readers.


async def _payloads(request: Request) -> Payloads:
    try:
        return json_format.Parse(await request.body(), Payloads(), ignore_unknown_fields=True)
    except json_format.ParseError:
        raise HTTPException(status_code=400, detail="body must be {'payloads': [...]}") from None


def _audit(request: Request, factory: SessionFactoryDep, user: User, action: str, n: int) -> None:
    namespace = request.headers.get("X-Namespace", "default")
    with factory() as session:
        audit_user_action(session, user, action=action, target=namespace, detail={"payloads": n})
        session.commit()


def _answer(payloads: Payloads) -> dict[str, object]:
    return json_format.MessageToDict(payloads)


@router.post("/decode", summary="Decrypt Temporal payloads (Temporal UI / CLI codec server)")
async def decode(
    request: Request, user: CodecReader, settings: SettingsDep, factory: SessionFactoryDep
) -> dict[str, object]:
    """Decrypts the payloads the Temporal UI sends; others pass unchanged."""
    incoming = await _payloads(request)
    try:
        decoded = await EncryptionCodec(settings.key_ring).decode(incoming.payloads)
    except SealError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    await run_in_threadpool(
        _audit, request, factory, user, "temporal.payloads.decode", len(decoded)
    )
    return _answer(Payloads(payloads=decoded))


@router.post("/encode", summary="Encrypt Temporal payloads (Temporal UI / CLI codec server)")
async def encode(
    request: Request, user: CodecWriter, settings: SettingsDep, factory: SessionFactoryDep
) -> dict[str, object]:
    """Encrypts payloads the Temporal UI is about to send (start, signal)."""
    incoming = await _payloads(request)
    encoded = await EncryptionCodec(settings.key_ring).encode(incoming.payloads)
    await run_in_threadpool(
        _audit, request, factory, user, "temporal.payloads.encode", len(encoded)
    )
    return _answer(Payloads(payloads=encoded))

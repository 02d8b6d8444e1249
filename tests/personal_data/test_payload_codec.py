"""The payload codec, and the API's codec endpoint the Temporal UI calls (roles, CORS, audit)."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from temporalio.api.common.v1 import Payload
from temporalio.converter import DataConverter

from domain.crypto.keyring import SealError
from domain.settings import Settings
from domain.tables.trust import AuditEntry
from payload_codec import ENCODING, EncryptionCodec, data_converter
from tests.api.conftest import auth, make_token
from tests.personal_data.conftest import key, ring_of
from tests.personal_data.rows import PHONE


async def test_payloads_are_encrypted_and_decode_back() -> None:
    ring = ring_of(f"k1:{key(1)}")
    plain = (await DataConverter.default.encode([{"phone": PHONE}]))[0]
    [sealed] = await EncryptionCodec(ring).encode([plain])
    assert sealed.metadata["encoding"] == ENCODING
    assert sealed.metadata["encryption-key-id"] == b"k1"
    assert PHONE.encode() not in sealed.SerializeToString()
    assert await EncryptionCodec(ring).decode([sealed]) == [plain]


async def test_unencrypted_payloads_pass_through_so_old_histories_replay() -> None:
    plain = Payload(metadata={"encoding": b"json/plain"}, data=b'"x"')
    assert await EncryptionCodec(ring_of(f"k1:{key(1)}")).decode([plain]) == [plain]


async def test_an_old_key_decodes_after_rotation_and_a_missing_key_refuses() -> None:
    [sealed] = await EncryptionCodec(ring_of(f"A:{key(1)}")).encode([Payload(data=b"x")])
    rotated = ring_of(f"B:{key(2)},A:{key(1)}")
    assert (await EncryptionCodec(rotated).decode([sealed]))[0].data == b"x"
    with pytest.raises(SealError):
        await EncryptionCodec(ring_of(f"B:{key(2)}")).decode([sealed])


async def test_the_sm4_suite_encrypts_payloads_with_sm4_gcm() -> None:
    ring = ring_of(f"k1:{key(1)}", "sm4")
    [sealed] = await EncryptionCodec(ring).encode([Payload(data=b"x")])
    assert sealed.metadata["encryption-cipher"] == b"sm4-gcm"
    assert (await EncryptionCodec(ring).decode([sealed]))[0].data == b"x"


async def test_the_converter_round_trips_values_and_failures() -> None:
    converter = data_converter(ring_of(f"k1:{key(1)}"))
    payloads = await converter.encode(["张三", 3])
    assert all(p.metadata["encoding"] == ENCODING for p in payloads)
    assert await converter.decode(payloads, [str, int]) == ["张三", 3]


def wire(payload: Payload) -> dict[str, object]:
    """Returns a payload in the JSON form the Temporal UI sends."""
    return {
        "metadata": {k: base64.b64encode(v).decode() for k, v in payload.metadata.items()},
        "data": base64.b64encode(payload.data).decode(),
    }


async def sealed_wire(settings: Settings) -> dict[str, object]:
    """Returns a JSON payload holding PHONE, encrypted with the app's keys."""
    plain = (await DataConverter.default.encode([PHONE]))[0]
    return wire((await EncryptionCodec(settings.key_ring).encode([plain]))[0])


@pytest.mark.parametrize("role", ["ops", "supervisor"])
async def test_readers_decode_payloads_and_each_call_is_audited(
    client: TestClient, db: Session, settings: Settings, role: str
) -> None:
    body = {"payloads": [await sealed_wire(settings)]}
    # Cross-court staff: a court-bound one decodes only its court's namespace.
    headers = auth(make_token(db, "u", role, court=None))
    answer = client.post("/codec/decode", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    [decoded] = answer.json()["payloads"]
    assert base64.b64decode(decoded["data"]) == f'"{PHONE}"'.encode()
    audited = db.scalars(select(AuditEntry).where(AuditEntry.action.like("temporal.%"))).all()
    assert [(e.actor, e.detail) for e in audited] == [("u", {"payloads": 1})]


@pytest.mark.parametrize(
    "role", ["clerk", "judge", "case_system", "auditor", "sysadmin", "secadmin", "auditadmin"]
)
async def test_other_roles_may_not_decode(
    client: TestClient, db: Session, settings: Settings, role: str
) -> None:
    body = {"payloads": [await sealed_wire(settings)]}
    answer = client.post("/codec/decode", json=body, headers=auth(make_token(db, "u", role)))
    assert answer.status_code == 403


async def test_decode_needs_a_token(client: TestClient, settings: Settings) -> None:
    body = {"payloads": [await sealed_wire(settings)]}
    assert client.post("/codec/decode", json=body).status_code == 401


@pytest.mark.parametrize(("role", "status"), [("ops", 200), ("auditor", 403)])
def test_encode_is_for_ops_and_supervisors(
    client: TestClient, db: Session, role: str, status: int
) -> None:
    body = {"payloads": [wire(Payload(metadata={"encoding": b"json/plain"}, data=b'"x"'))]}
    headers = auth(make_token(db, "u", role, court=None))
    answer = client.post("/codec/encode", json=body, headers=headers)
    assert answer.status_code == status
    if status == 200:
        metadata = answer.json()["payloads"][0]["metadata"]
        assert base64.b64decode(metadata["encoding"]) == ENCODING


def test_a_bad_body_answers_400(client: TestClient, db: Session) -> None:
    headers = auth(make_token(db, "u", "ops", court=None))
    answer = client.post("/codec/decode", content=b"[1,", headers=headers)
    assert answer.status_code == 400


def test_cors_lets_the_temporal_ui_send_its_authorization_header(
    client: TestClient, settings: Settings
) -> None:
    origin = settings.effective_temporal_ui_url
    preflight = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type,x-namespace",
    }
    answer = client.options("/codec/decode", headers=preflight)
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == origin
    assert answer.headers["access-control-allow-credentials"] == "true"
    assert "authorization" in answer.headers["access-control-allow-headers"].lower()
    other = client.options("/codec/decode", headers={**preflight, "Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in other.headers

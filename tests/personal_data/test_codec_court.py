"""Issue 13 (10): the codec decodes only for those who may read the court's data: ops and
supervisors, court-bound ones only in their court's namespace; never auditors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from domain.settings import Settings
from tests.api.conftest import auth, make_token
from tests.personal_data.test_payload_codec import sealed_wire


@pytest.mark.parametrize("role", ["auditor", "auditadmin"])
async def test_auditors_cannot_decode(
    client: TestClient, db: Session, settings: Settings, role: str
) -> None:
    body = {"payloads": [await sealed_wire(settings)]}
    headers = auth(make_token(db, "aud", role, court=None))
    assert client.post("/codec/decode", json=body, headers=headers).status_code == 403


@pytest.mark.parametrize(
    ("court", "namespace", "status"),
    [
        (None, "default", 200),  # cross-court ops: every court
        ("J12", "default", 403),  # a shared namespace holds other courts' workflows
        ("J12", "songda-j12", 200),  # its court's own namespace
        ("J12", "songda-k01", 403),
    ],
)
async def test_court_bound_staff_decode_their_courts_namespace_only(
    client: TestClient, db: Session, settings: Settings, court: str | None, namespace: str,
    status: int,
) -> None:  # fmt: skip
    body = {"payloads": [await sealed_wire(settings)]}
    headers = {**auth(make_token(db, "op", "ops", court=court)), "X-Namespace": namespace}
    assert client.post("/codec/decode", json=body, headers=headers).status_code == status

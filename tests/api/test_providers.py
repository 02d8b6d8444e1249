"""Provider events: signatures, freshness, replays and unknown references."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from domain.crypto.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signed_headers
from domain.settings import Settings
from domain.tables.core import Attempt, ProviderEventReceipt
from tests.api.conftest import count
from tests.api.test_work_orders import seed_task

PROVIDER = "sandbox-sms"
URL = f"/v1/providers/{PROVIDER}/events"
SECRET = "test-secret"  # sandbox-sms in the fixture's SONGDA_PROVIDER_SECRETS


def _event(reference: str = "att-1", event_id: str = "ev-1") -> bytes:
    event: dict[str, Any] = {
        "event_id": event_id,
        "reference": reference,
        "kind": "delivered",
        "occurred_at": "2026-11-28T10:00:00+00:00",
        "detail": {"status": "DELIVRD"},
    }
    return json.dumps(event).encode()


def _seed_attempt(db: Session) -> Attempt:
    task = seed_task(db)
    attempt = Attempt(
        task_id=task.id, step="electronic", channel="sms", target_label="138****0002",
        idempotency_key="att-1", provider="sandbox-sms",
    )  # fmt: skip
    db.add(attempt)
    db.commit()
    return attempt


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {TIMESTAMP_HEADER: str(int(time.time())), SIGNATURE_HEADER: "0" * 64},
        "wrong-secret",
        "stale",
        "other-body",
    ],
)
def test_unsigned_badly_signed_or_stale_is_401(
    client: TestClient, db: Session, settings: Settings, headers: Any
) -> None:
    attempt = _seed_attempt(db)
    body = _event()
    if headers == "wrong-secret":
        headers = signed_headers("not-the-secret", body)
    elif headers == "stale":
        headers = signed_headers(SECRET, body, scope=PROVIDER, now=time.time() - 3600)
    elif headers == "other-body":
        headers = signed_headers(SECRET, _event(event_id="ev-2"), scope=PROVIDER)
    response = client.post(URL, content=body, headers=headers)
    assert response.status_code == 401
    assert "detail" in response.json()
    assert count(db, ProviderEventReceipt) == 0
    db.refresh(attempt)
    assert (attempt.status, attempt.detail) == ("sending", {})


def test_unknown_reference_is_acknowledged_and_not_stored(
    client: TestClient, db: Session, settings: Settings
) -> None:
    body = _event(reference="nobody")
    response = client.post(URL, content=body, headers=signed_headers(SECRET, body, scope=PROVIDER))
    assert response.json() == {"accepted": False, "duplicate": False}
    assert count(db, ProviderEventReceipt) == 0


def test_replayed_event_is_a_duplicate_without_signalling(
    client: TestClient, db: Session, settings: Settings
) -> None:
    _seed_attempt(db)
    db.add(ProviderEventReceipt(provider="sandbox-sms", event_id="ev-1", body={}))
    db.commit()
    body = _event()
    # Temporal is unreachable: a 200 proves the replay never tried to signal.
    response = client.post(URL, content=body, headers=signed_headers(SECRET, body, scope=PROVIDER))
    assert response.json() == {"accepted": True, "duplicate": True}


def test_signed_event_with_temporal_down_is_503_and_stores_nothing(
    client: TestClient, db: Session, settings: Settings
) -> None:
    _seed_attempt(db)
    body = _event()
    response = client.post(URL, content=body, headers=signed_headers(SECRET, body, scope=PROVIDER))
    assert response.status_code == 503
    assert count(db, ProviderEventReceipt) == 0


def test_signed_malformed_event_is_422(client: TestClient, settings: Settings) -> None:
    body = b'{"event_id": "e", "kind": "delivered"}'
    response = client.post(URL, content=body, headers=signed_headers(SECRET, body, scope=PROVIDER))
    assert response.status_code == 422
    assert "reference" in [item["field"] for item in response.json()["detail"]]


def test_a_flash_reminders_report_is_kept_without_waking_the_ladder(
    client: TestClient, db: Session, settings: Settings
) -> None:
    """Flash SMS never serves (DOMAIN.md): its report is stored, no signal is sent for it."""
    attempt = _seed_attempt(db)
    flash = Attempt(
        task_id=attempt.task_id, step="electronic", channel="sms", target_label="138****0002",
        idempotency_key="att-1:flash", provider="sandbox-sms",
    )  # fmt: skip
    db.add(flash)
    db.commit()
    body = _event(reference="att-1:flash")
    # Temporal is unreachable: a 200 proves no signal was tried (the service SMS's report 503s).
    response = client.post(URL, content=body, headers=signed_headers(SECRET, body, scope=PROVIDER))
    assert response.json() == {"accepted": True, "duplicate": False}
    assert count(db, ProviderEventReceipt) == 1
    db.refresh(flash)
    assert flash.status == "delivered"

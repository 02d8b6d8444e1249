"""Issue 13 (2): a provider cannot serve a party, replay another's events or touch its attempts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from domain.crypto.signing import signed_headers, verify
from domain.tables.core import Attempt, ProviderEventReceipt
from tests.api.conftest import count
from tests.api.test_work_orders import seed_task

SMS_SECRET = "test-secret"  # the fixture's SONGDA_PROVIDER_SECRETS
POST_SECRET = "test-post-secret"


def _event(kind: str, reference: str = "att-1") -> bytes:
    event: dict[str, Any] = {
        "event_id": f"ev-{kind}",
        "reference": reference,
        "kind": kind,
        "occurred_at": "2026-11-28T10:00:00+08:00",
    }
    return json.dumps(event).encode()


def _attempt(db: Session, provider: str) -> Attempt:
    attempt = Attempt(
        task_id=seed_task(db).id, step="electronic", channel="sms",
        target_label="138****0002", idempotency_key="att-1", provider=provider,
    )  # fmt: skip
    db.add(attempt)
    db.commit()
    return attempt


def _post(client: TestClient, provider: str, secret: str, body: bytes) -> Any:
    headers = signed_headers(secret, body, scope=provider)
    return client.post(f"/v1/providers/{provider}/events", content=body, headers=headers)


def _nothing_stored(db: Session, attempt: Attempt) -> None:
    assert count(db, ProviderEventReceipt) == 0
    db.refresh(attempt)
    assert (attempt.status, attempt.detail) == ("sending", {})


@pytest.mark.parametrize("kind", ["confirmed", "opened", "viewed", "signed"])
def test_an_sms_gateway_cannot_report_what_only_the_portal_or_the_post_knows(
    client: TestClient, db: Session, kind: str
) -> None:
    attempt = _attempt(db, "sandbox-sms")
    response = _post(client, "sandbox-sms", SMS_SECRET, _event(kind))
    assert response.status_code == 422
    assert "delivered, undeliverable" in response.json()["detail"]
    _nothing_stored(db, attempt)


def test_the_post_office_cannot_confirm_receipt_for_a_party(
    client: TestClient, db: Session
) -> None:
    attempt = _attempt(db, "sandbox-post")
    response = _post(client, "sandbox-post", POST_SECRET, _event("confirmed"))
    assert response.status_code == 422
    _nothing_stored(db, attempt)


def test_a_body_replayed_under_another_providers_path_is_refused(
    client: TestClient, db: Session
) -> None:
    attempt = _attempt(db, "sandbox-post")
    body = _event("delivered")
    headers = signed_headers(SMS_SECRET, body, scope="sandbox-sms")  # genuinely the SMS's
    response = client.post("/v1/providers/sandbox-post/events", content=body, headers=headers)
    assert response.status_code == 401
    _nothing_stored(db, attempt)


def test_the_provider_name_is_signed_even_when_two_providers_share_a_secret() -> None:
    body = _event("delivered")
    headers = signed_headers("one-secret-for-both", body, now=1000.0, scope="sandbox-sms")
    stamp, signature = headers["X-Songda-Timestamp"], headers["X-Songda-Signature"]
    assert verify("one-secret-for-both", stamp, signature, body, 300, 1000.0, scope="sandbox-sms")
    assert not verify("one-secret-for-both", stamp, signature, body, 300, 1000.0, scope="smpp")


def test_an_attempt_of_another_provider_is_refused(client: TestClient, db: Session) -> None:
    attempt = _attempt(db, "sandbox-post")  # a letter, not an SMS
    response = _post(client, "sandbox-sms", SMS_SECRET, _event("delivered"))
    assert response.status_code == 403
    assert "does not belong to sandbox-sms" in response.json()["detail"]
    _nothing_stored(db, attempt)


def test_a_provider_without_its_own_secret_is_refused(client: TestClient, db: Session) -> None:
    attempt = _attempt(db, "smpp")  # the fixture configures no secret for smpp
    for secret in ("", SMS_SECRET):
        response = _post(client, "smpp", secret, _event("delivered"))
        assert response.status_code == 401
    response = _post(client, "no-such-provider", SMS_SECRET, _event("delivered"))
    assert response.status_code == 401
    _nothing_stored(db, attempt)

"""One-time codes through the real sandbox gateway: sent, throttled, verified once, locked."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.portal.guard import COOKIE_NAME
from domain.settings import Settings
from domain.store.documents import DocumentStore
from tests.portal.support import Published, kinds, publish_attempt, receipts

CODE = re.compile(r"验证码 (\d{6})")


def sent_messages(gateway_url: str, kind: str, to: str) -> list[dict[str, object]]:
    """Returns what the sandbox recorded for a recipient, newest first."""
    answer = httpx.get(f"{gateway_url}/sandbox/{kind}", params={"to": to})
    items: list[dict[str, object]] = answer.json()["items"]
    return items


def newest_code(gateway_url: str, kind: str, to: str) -> str:
    """Returns the code in the newest message to `to`."""
    found = CODE.search(str(sent_messages(gateway_url, kind, to)[0]["text"]))
    assert found is not None
    return found.group(1)


def test_code_goes_by_sms_without_a_link_and_is_kept_only_as_a_hash(
    portal: TestClient, db: Session, gateway_url: str, published: Published, settings: Settings
) -> None:
    answer = portal.post(f"/s/{published.token}/code")
    assert answer.status_code == 303
    (sms,) = sent_messages(gateway_url, "sms", "13800000002")[:1]
    text = str(sms["text"])
    assert text.startswith("【天津市河西区人民法院】验证码 ")
    assert "10分钟内有效" in text and "12368" in text and "http" not in text
    assert sms["reference"] == f"otp-{published.publication_id}-1"
    assert sms["flash"] is False
    code = newest_code(gateway_url, "sms", "13800000002")
    (sent,) = receipts(db, published.publication_id)
    assert sent.kind == "code_sent"
    assert set(sent.detail) == {"code_hmac", "expires"}
    assert code not in str(sent.detail)
    page = portal.get(f"/s/{published.token}")
    assert "验证码已发送至手机 138****0002" in page.text and 'for="code-input"' in page.text


def test_one_code_a_minute_per_link(
    portal: TestClient, gateway_url: str, published: Published
) -> None:
    assert portal.post(f"/s/{published.token}/code").status_code == 303
    again = portal.post(f"/s/{published.token}/code")
    assert again.status_code == 429
    assert "每分钟只能发送一次" in again.text


def test_right_code_signs_in_once(
    portal: TestClient, db: Session, gateway_url: str, published: Published
) -> None:
    portal.post(f"/s/{published.token}/code")
    code = newest_code(gateway_url, "sms", "13800000002")
    verified = portal.post(f"/s/{published.token}/code/verify", data={"code": code})
    assert verified.status_code == 303
    assert verified.headers["location"] == f"/s/{published.token}/documents"
    assert portal.cookies.get(COOKIE_NAME)
    portal.cookies.clear()
    reused = portal.post(f"/s/{published.token}/code/verify", data={"code": code})
    assert reused.status_code == 403
    assert kinds(db, published.publication_id) == [
        "code_sent",
        "identity_passed",
        "identity_failed",
    ]
    methods = [r.detail.get("method") for r in receipts(db, published.publication_id)]
    assert methods[1:] == ["code", "code"]


def test_wrong_codes_count_towards_the_lock(
    portal: TestClient, gateway_url: str, published: Published
) -> None:
    portal.post(f"/s/{published.token}/code")
    code = newest_code(gateway_url, "sms", "13800000002")
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(4):
        page = portal.post(f"/s/{published.token}/code/verify", data={"code": wrong})
        assert page.status_code == 403 and "验证码不正确或已过期" in page.text
    assert portal.post(f"/s/{published.token}/code/verify", data={"code": wrong}).status_code == 423
    assert portal.post(f"/s/{published.token}/code/verify", data={"code": code}).status_code == 423


def test_an_organization_gets_its_code_by_email(
    portal: TestClient, db: Session, settings: Settings, store: DocumentStore, gateway_url: str
) -> None:
    published = publish_attempt(
        db,
        settings,
        store,
        name="某某有限公司",
        kind="organization",
        id_number=None,
        channel="email",
        target="legal@example.com",
    )
    landing = portal.get(f"/s/{published.token}")
    assert 'for="id_tail"' not in landing.text
    assert "l***@example.com" in landing.text and "legal@example.com" not in landing.text
    assert portal.post(f"/s/{published.token}/identity", data={"name": "x"}).status_code == 400
    assert portal.post(f"/s/{published.token}/code").status_code == 303
    (mail,) = sent_messages(gateway_url, "email", "legal@example.com")
    assert mail["subject"] == "天津市河西区人民法院验证码"
    code = newest_code(gateway_url, "email", "legal@example.com")
    verified = portal.post(f"/s/{published.token}/code/verify", data={"code": code})
    assert verified.status_code == 303


def test_a_gateway_that_refuses_is_a_502_page_and_no_code(
    portal: TestClient, db: Session, settings: Settings, store: DocumentStore, gateway_url: str
) -> None:
    published = publish_attempt(db, settings, store, target="13800000009")
    failed = portal.post(f"/s/{published.token}/code")
    assert failed.status_code == 502
    assert "验证码发送失败" in failed.text
    assert kinds(db, published.publication_id) == ["code_failed"]
    # The failed send does not hold back the next try, which gets a fresh gateway reference.
    assert portal.post(f"/s/{published.token}/code").status_code == 502
    refused = sent_messages(gateway_url, "sms/refused", "13800000009")
    prefix = f"otp-{published.publication_id}-"
    assert [item["reference"] for item in refused[:2]] == [f"{prefix}2", f"{prefix}1"]

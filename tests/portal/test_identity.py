"""The landing page and the identity check: 404/410, success, failure, lockout, rate limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from api.portal.guard import COOKIE_NAME, session_cookie, session_valid
from domain.settings import Settings
from domain.store.documents import DocumentStore
from domain.tables.core import PortalPublication
from tests.portal.conftest import CLIENT_ADDRESS
from tests.portal.support import (
    ID_NUMBER,
    NAME,
    Published,
    kinds,
    pass_time,
    publish_attempt,
    receipts,
)

RIGHT = {"name": NAME, "id_tail": ID_NUMBER[-4:].lower()}
WRONG = {"name": "李四", "id_tail": ID_NUMBER[-4:]}


def move_back(db: Session, published: Published, delta: timedelta) -> None:
    """Moves every receipt of a publication, and the portal's counters, back in time."""
    for receipt in receipts(db, published.publication_id):
        receipt.at = receipt.at - delta
    db.commit()
    pass_time(db, timedelta(0), counters=delta)


def test_unknown_and_malformed_links_are_404(portal: TestClient) -> None:
    for path in ("/s/" + "A" * 32, "/s/short", "/s/" + "A" * 32 + "/documents"):
        page = portal.get(path)
        assert page.status_code == 404
        assert "链接无效" in page.text and "12368" in page.text


def test_expired_link_is_410(portal: TestClient, db: Session, published: Published) -> None:
    past = datetime.now(UTC) - timedelta(minutes=1)
    db.execute(update(PortalPublication).values(expires_at=past))
    db.commit()
    page = portal.get(f"/s/{published.token}")
    assert page.status_code == 410
    assert "链接已过期" in page.text
    assert portal.post(f"/s/{published.token}/identity", data=RIGHT).status_code == 410


def test_landing_page_shows_the_case_and_records_opened(
    portal: TestClient, db: Session, published: Published
) -> None:
    page = portal.get(f"/s/{published.token}")
    assert page.status_code == 200
    for shown in ("天津市河西区人民法院", "（2026）津0103民初1234号", "民间借贷纠纷", "《传票》"):
        assert shown in page.text
    assert 'for="name"' in page.text and 'for="id_tail"' in page.text
    assert "138****0002" in page.text and "13800000002" not in page.text
    assert NAME not in page.text and "张*" in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in page.headers["content-security-policy"]
    (opened,) = receipts(db, published.publication_id)
    assert opened.kind == "opened"
    assert opened.client_address == CLIENT_ADDRESS
    assert opened.user_agent == "PortalTest/1.0 (Android)"
    assert opened.forwarded_at is None


def test_right_identity_gives_a_bound_session(
    portal: TestClient, db: Session, settings: Settings, published: Published
) -> None:
    answer = portal.post(f"/s/{published.token}/identity", data=RIGHT)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/s/{published.token}/documents"
    cookie = answer.headers["set-cookie"]
    assert f"{COOKIE_NAME}=" in cookie and "HttpOnly" in cookie
    assert "SameSite=strict" in cookie and "Max-Age=1800" in cookie
    assert f"Path=/s/{published.token}" in cookie
    value = portal.cookies.get(COOKIE_NAME)
    assert session_valid(settings.portal_secret, value, published.publication_id)
    assert portal.get(f"/s/{published.token}/documents").status_code == 200
    (passed,) = receipts(db, published.publication_id)
    assert (passed.kind, passed.detail) == ("identity_passed", {"method": "id_tail"})


def test_wrong_identity_is_refused_without_personal_data(
    portal: TestClient, db: Session, published: Published
) -> None:
    page = portal.post(f"/s/{published.token}/identity", data=WRONG)
    assert page.status_code == 403
    assert "姓名或身份证号码后4位不正确" in page.text
    assert "再失败 4 次" in page.text
    assert COOKIE_NAME not in page.headers.get("set-cookie", "")
    (failed,) = receipts(db, published.publication_id)
    assert failed.kind == "identity_failed"
    assert "李四" not in str(failed.detail) and ID_NUMBER[-4:] not in str(failed.detail)


def test_five_failures_lock_the_link_even_for_the_right_answer(
    portal: TestClient, db: Session, published: Published
) -> None:
    for _ in range(4):
        assert portal.post(f"/s/{published.token}/identity", data=WRONG).status_code == 403
    locked = portal.post(f"/s/{published.token}/identity", data=WRONG)
    assert locked.status_code == 423
    assert "已暂时锁定" in locked.text and "12368" in locked.text
    assert portal.post(f"/s/{published.token}/identity", data=RIGHT).status_code == 423
    assert portal.post(f"/s/{published.token}/code/verify", data={"code": "1"}).status_code == 423
    assert portal.get(f"/s/{published.token}").status_code == 423
    assert kinds(db, published.publication_id).count("identity_failed") == 5
    # Fifteen minutes later the link opens again.
    move_back(db, published, timedelta(minutes=16))
    assert portal.post(f"/s/{published.token}/identity", data=RIGHT).status_code == 303


def test_failures_spread_over_more_than_15_minutes_do_not_lock(
    portal: TestClient, db: Session, published: Published
) -> None:
    for _ in range(4):
        portal.post(f"/s/{published.token}/identity", data=WRONG)
    move_back(db, published, timedelta(minutes=20))
    assert portal.post(f"/s/{published.token}/identity", data=WRONG).status_code == 403
    assert portal.post(f"/s/{published.token}/identity", data=RIGHT).status_code == 303


def test_more_than_ten_attempts_a_minute_from_one_address_is_429(
    portal: TestClient, db: Session, settings: Settings, store: DocumentStore
) -> None:
    links = [publish_attempt(db, settings, store).token for _ in range(3)]
    for index in range(10):
        answer = portal.post(f"/s/{links[index % 3]}/identity", data=WRONG)
        assert answer.status_code == 403
    refused = portal.post(f"/s/{links[0]}/identity", data=RIGHT)
    assert refused.status_code == 429
    assert "操作过于频繁" in refused.text
    assert portal.post(f"/s/{links[1]}/code").status_code == 429


def test_documents_need_the_session(portal: TestClient, published: Published) -> None:
    token = published.token
    for path in ("/documents", f"/documents/{published.document_sha256}/view"):
        answer = portal.get(f"/s/{token}{path}")
        assert answer.status_code == 303 and answer.headers["location"] == f"/s/{token}"
    assert portal.post(f"/s/{token}/confirm").status_code == 303


def test_a_session_opens_only_its_own_publication(
    portal: TestClient, db: Session, settings: Settings, store: DocumentStore, published: Published
) -> None:
    other = publish_attempt(db, settings, store)
    assert portal.post(f"/s/{published.token}/identity", data=RIGHT).status_code == 303
    value = portal.cookies.get(COOKIE_NAME)
    portal.cookies.clear()
    portal.cookies.set(COOKIE_NAME, value, path=f"/s/{other.token}")
    assert portal.get(f"/s/{other.token}/documents").status_code == 303
    forged = session_cookie("not the portal secret", other.publication_id)
    portal.cookies.set(COOKIE_NAME, forged, path=f"/s/{other.token}")
    assert portal.get(f"/s/{other.token}/documents").status_code == 303
    expired = session_cookie(settings.portal_secret, other.publication_id, now=0)
    portal.cookies.set(COOKIE_NAME, expired, path=f"/s/{other.token}")
    assert portal.get(f"/s/{other.token}/documents").status_code == 303
    good = session_cookie(settings.portal_secret, other.publication_id)
    portal.cookies.set(COOKIE_NAME, good, path=f"/s/{other.token}")
    assert portal.get(f"/s/{other.token}/documents").status_code == 200


def test_overlong_input_is_a_400_page(portal: TestClient, published: Published) -> None:
    page = portal.post(f"/s/{published.token}/identity", data={"name": "张" * 201, "id_tail": "1"})
    assert page.status_code == 400 and "输入有误" in page.text


def test_healthz(portal: TestClient) -> None:
    assert portal.get("/healthz").json() == {"ok": True}

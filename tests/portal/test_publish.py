"""domain.store.portal: deterministic links, keyed hashes, and one publication per attempt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.crypto.portal_keys import PortalKeys, open_for_portal, portal_ring
from domain.settings import Settings
from domain.store.documents import DocumentStore
from domain.store.portal import (
    TOKEN_PATTERN,
    identity_hmac,
    link_token,
    normalize_id_tail,
    normalize_name,
    publish,
    token_sha256,
)
from domain.tables.core import PortalPublication
from tests.portal.support import ID_NUMBER, NAME, PDF, PHONE, publish_attempt, seed_task

PORTAL_RING = portal_ring(PortalKeys().portal_data_keys)


def test_link_token_is_deterministic_url_safe_and_keyed() -> None:
    token = link_token("secret", "task:electronic:1:phone0submitted")
    assert token == link_token("secret", "task:electronic:1:phone0submitted")
    assert TOKEN_PATTERN.fullmatch(token)
    assert token != link_token("other secret", "task:electronic:1:phone0submitted")
    assert token != link_token("secret", "task:electronic:2:phone0submitted")
    assert len(token_sha256(token)) == 64


def test_names_and_id_tails_compare_after_normalising() -> None:
    assert normalize_name(" 张 三 ") == normalize_name("张三")
    assert normalize_name("买买提•艾力") == normalize_name("买买提·艾力")
    assert normalize_name("ＡＢＣ Ltd") == normalize_name("abcltd")
    assert normalize_id_tail("101x") == "101X"
    assert identity_hmac("k", "张三") == identity_hmac("k", "张三")
    assert identity_hmac("k", "张三") != identity_hmac("j", "张三")


def test_publish_records_what_the_portal_needs(
    db: Session, settings: Settings, store: DocumentStore
) -> None:
    before = datetime.now(UTC)
    published = publish_attempt(db, settings, store)
    publication = db.get_one(PortalPublication, published.publication_id)
    secret = settings.portal_secret
    assert publication.token_sha256 == token_sha256(published.token)
    assert publication.court_name == "天津市河西区人民法院"
    assert publication.case_number == "（2026）津0103民初1234号"
    assert publication.cause == "民间借贷纠纷"
    assert publication.party_label == "张*"
    assert publication.name_hmac == identity_hmac(secret, normalize_name(NAME))
    assert publication.id_tail_hmac == identity_hmac(secret, ID_NUMBER[-4:])
    assert publication.otp_channel == "sms"
    assert open_for_portal(PORTAL_RING, publication.otp_target) == PHONE
    assert publication.documents == [
        {
            "sha256": published.document_sha256,
            "title": "传票",
            "media_type": "application/pdf",
            "bytes": len(PDF),
        }
    ]
    expires = publication.expires_at.replace(tzinfo=UTC)
    assert before + timedelta(days=30) <= expires <= datetime.now(UTC) + timedelta(days=30)
    # Nothing in clear: neither the name nor the ID number is stored.
    stored = " ".join(str(v) for v in vars(publication).values())
    assert NAME not in stored and ID_NUMBER not in stored


def test_publish_twice_returns_the_same_link_and_one_row(
    db: Session, settings: Settings, store: DocumentStore
) -> None:
    task_id, _, _ = seed_task(db, store)
    reference = f"{task_id}:electronic:1:phone0submitted"
    first = publish(db, settings, task_id=task_id, reference=reference, channel="sms", target=PHONE)
    again = publish(db, settings, task_id=task_id, reference=reference, channel="sms", target=PHONE)
    assert first == again
    assert (
        first
        == f"{settings.effective_portal_url}/s/{link_token(settings.portal_secret, reference)}"
    )
    count = select(func.count()).select_from(PortalPublication)
    assert db.scalar(count) == 1


def test_an_organization_can_only_use_a_code(
    db: Session, settings: Settings, store: DocumentStore
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
    publication = db.get_one(PortalPublication, published.publication_id)
    assert publication.id_tail_hmac is None
    assert publication.otp_channel == "email"
    assert open_for_portal(PORTAL_RING, publication.otp_target) == "legal@example.com"

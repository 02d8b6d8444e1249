"""The recipient portal's links, keyed hashes and publications (the intranet side of it)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.crypto.portal_keys import (
    PortalKeys,
    portal_document_dir,
    seal_for_portal,
)
from domain.pure.masking import mask_name
from domain.settings import Settings
from domain.store.documents import DocumentStore
from domain.tables.core import Court, PortalPublication, ServiceRequest, ServiceTask

TOKEN_LENGTH = 32
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")
OTP_CHANNELS = frozenset({"sms", "email"})
# Middle dots people type in transliterated names (·•・‧∙); all count as one.
_DOTS = re.compile(r"[\u00b7\u2022\u30fb\u2027\u2219\u22c5]")
_SPACES = re.compile(r"\s+")


def _hmac(secret: str, purpose: str, value: str) -> bytes:
    # The purpose prefix separates link tokens from identity hashes made with the same secret.
    message = f"{purpose}:{value}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()


def link_token(secret: str, reference: str) -> str:
    """Returns the link token of an attempt: HMAC-SHA256 of its reference, base64url, 32 chars."""
    digest = _hmac(secret, "link", reference)
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:TOKEN_LENGTH]


def token_sha256(token: str) -> str:
    """Returns the hex SHA-256 under which a link token is filed."""
    return hashlib.sha256(token.encode()).hexdigest()


def identity_hmac(secret: str, value: str) -> str:
    """Returns the keyed hash (hex) the portal compares instead of a name or ID tail."""
    return _hmac(secret, "identity", value).hex()


def normalize_name(name: str) -> str:
    """Returns a name as compared: NFKC, no spaces, one kind of middle dot, case-folded."""
    value = unicodedata.normalize("NFKC", name)
    value = _DOTS.sub("·", _SPACES.sub("", value))
    return value.casefold()


def normalize_id_tail(value: str) -> str:
    """Returns the last four characters of an ID number as compared (upper-case X)."""
    return unicodedata.normalize("NFKC", value).strip().upper()[-4:]


def portal_link(settings: Settings, token: str) -> str:
    """Returns the public link of a token."""
    return f"{settings.effective_portal_url.rstrip('/')}/s/{token}"


def _documents(request: ServiceRequest) -> list[dict[str, object]]:
    return [
        {"sha256": d.sha256, "title": d.title, "media_type": d.media_type, "bytes": d.bytes}
        for d in request.documents
    ]


@lru_cache
def current_portal_keys() -> PortalKeys:
    """Returns the portal's key settings of this process, read once."""
    return PortalKeys()


def copy_documents(request: ServiceRequest, settings: Settings, portal: DocumentStore) -> None:
    """Copies the request's documents into the portal's store (once each)."""
    court = DocumentStore(settings.document_dir)
    for document in request.documents:
        if not portal.exists(document.sha256):
            portal.put(court.get(document.sha256))


def publish(
    session: Session, settings: Settings, *, task_id: str, reference: str, channel: str, target: str
) -> str:
    """Publishes an attempt to the portal once per reference, commits, and returns its link."""
    # A retried send publishes again: the row stands, the token is derived, so the link is equal.
    if channel not in OTP_CHANNELS:
        raise ValueError(f"channel must be sms or email, not {channel!r}")
    token = link_token(settings.portal_secret, reference)
    known = select(PortalPublication.id).where(PortalPublication.reference == reference)
    if session.scalar(known) is not None:
        return portal_link(settings, token)
    task = session.get_one(ServiceTask, task_id)
    request = session.get_one(ServiceRequest, task.request_id)
    court = session.get_one(Court, request.court_code)
    party = task.party
    keys = current_portal_keys()
    ring = keys.ring()
    # The portal reads its own copies under its own key: never the court's store.
    copy_documents(
        request, settings, DocumentStore(portal_document_dir(settings.state_dir, keys), ring)
    )
    id_tail = normalize_id_tail(party.id_number) if party.id_number else None
    session.add(
        PortalPublication(
            token_sha256=token_sha256(token),
            reference=reference,
            court_name=court.name,
            case_number=request.case_number,
            cause=request.cause,
            party_label=mask_name(party.name),
            name_hmac=identity_hmac(settings.portal_secret, normalize_name(party.name)),
            id_tail_hmac=identity_hmac(settings.portal_secret, id_tail) if id_tail else None,
            otp_channel=channel,
            otp_target=seal_for_portal(ring, target),
            documents=_documents(request),
            expires_at=datetime.now(UTC) + timedelta(days=settings.portal_link_days),
        )
    )
    try:
        session.commit()
    except IntegrityError:
        # A retried activity published the same reference concurrently: its row stands.
        session.rollback()
    return portal_link(settings, token)

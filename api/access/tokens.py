"""Bearer tokens of service accounts: issued with an expiry, stored hashed, revocable."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.access.auth import hash_token, token_is_live
from api.access.policies import load_policies
from api.access.token_cache import note_revoked
from domain.tables.core import ApiToken, User
from domain.tables.trust import LoginSession

# The first characters of a token are kept in clear so one token can be named and revoked.
PREFIX_LENGTH = 8


class TokenError(ValueError):
    """A token could not be issued or revoked; the message says what to change."""


def issue_token(*, session: Session, user: User, expires_days: int | None = None) -> str:
    """Creates a bearer token expiring within the policy's limit; returns it (shown once)."""
    limit = load_policies(session).token_max_days
    days = expires_days or limit
    if days < 1 or days > limit:
        raise TokenError(f"days: use 1 to {limit} (security policy token_max_days)")
    if user.disabled_at is not None:
        raise TokenError("user: this user is disabled")
    token = secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id,
            token_sha256=hash_token(token),
            prefix=token[:PREFIX_LENGTH],
            expires_at=datetime.now(UTC) + timedelta(days=days),
        )
    )
    session.commit()
    return token


def revoke_tokens(*, session: Session, user: User, prefix: str | None = None) -> int:
    """Revokes the user's live tokens (or the one with this prefix) and sessions; no commit."""
    now = datetime.now(UTC)
    query = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    if prefix is not None:
        if len(prefix) < PREFIX_LENGTH:
            raise TokenError(f"token prefix: give at least its first {PREFIX_LENGTH} characters")
        query = query.where(ApiToken.prefix == prefix[:PREFIX_LENGTH])
    rows = list(session.scalars(query))
    for row in rows:
        row.revoked_at = now
    note_revoked(session, user.id)
    if prefix is None:
        # Revoking everything also ends the user's console sessions.
        session.execute(
            update(LoginSession)
            .where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    session.flush()
    return len(rows)


def token_valid_for(*, session: Session, token: str, user: User) -> bool:
    """Tells whether a token is live and belongs to this user."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == hash_token(token)))
    return row is not None and row.user_id == user.id and token_is_live(row)

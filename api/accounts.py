"""Users and API tokens, for the CLI and the demo bootstrap (direct database access)."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth import ROLES, hash_token, token_is_live
from domain.identity import normalize_mobile
from domain.models import ApiToken, Court, User

_NAME_RE = re.compile(r"[\w.@-]{1,100}")
_COURT_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")
# scrypt parameters: about 16 MiB and tens of milliseconds per hash (a later issue: argon2).
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


class AccountError(ValueError):
    """A user or token could not be created; the message names the problem, not the data."""


def hash_password(password: str) -> str:
    """Returns "scrypt$salt$hash" (hex) for a password."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """Tells whether a password matches its stored scrypt hash."""
    scheme, _, rest = stored.partition("$")
    salt_hex, _, digest_hex = rest.partition("$")
    if scheme != "scrypt" or not salt_hex or not digest_hex:
        return False
    salt = bytes.fromhex(salt_hex)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return secrets.compare_digest(digest.hex(), digest_hex)


def create_user(
    *,
    session: Session,
    name: str,
    role: str,
    court_code: str | None = None,
    phone: str | None = None,
    password: str | None = None,
) -> User:
    """Creates a user after checking its name, role, court code and phone."""
    if not _NAME_RE.fullmatch(name):
        raise AccountError("name: use letters, digits, '.', '@', '_' or '-' (at most 100)")
    if role not in ROLES:
        raise AccountError(f"role: use one of {', '.join(sorted(ROLES))}")
    if court_code is not None and not _COURT_RE.fullmatch(court_code):
        raise AccountError("court: use letters, digits, '_' or '-' (at most 32)")
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise AccountError("name: a user with this name exists already")
    user = User(
        name=name,
        role=role,
        court_code=court_code,
        phone=normalize_mobile(phone) if phone else None,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.commit()
    return user


def find_user(*, session: Session, name: str) -> User:
    """Returns the user with this name, or raises AccountError."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise AccountError("name: no user with this name")
    return user


def issue_token(*, session: Session, user: User, expires_days: int | None = None) -> str:
    """Creates a bearer token for the user, stores only its SHA-256, and returns the token."""
    token = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(days=expires_days) if expires_days else None
    session.add(ApiToken(user_id=user.id, token_sha256=hash_token(token), expires_at=expires))
    session.commit()
    return token


def token_valid_for(*, session: Session, token: str, user: User) -> bool:
    """Tells whether a token is live and belongs to this user."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == hash_token(token)))
    return row is not None and row.user_id == user.id and token_is_live(row)


def ensure_court(*, session: Session, code: str, name: str) -> None:
    """Creates the court if it does not exist yet."""
    if session.get(Court, code) is None:
        session.add(Court(code=code, name=name))
        session.commit()


def ensure_user(*, session: Session, name: str, role: str, court_code: str) -> User:
    """Returns the user with this name, creating it if missing."""
    existing = session.scalar(select(User).where(User.name == name))
    return existing or create_user(session=session, name=name, role=role, court_code=court_code)


def write_secret(path: Path, content: str) -> None:
    """Writes a file readable by its owner only (mode 600 from the first byte)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content + "\n")
    path.chmod(0o600)

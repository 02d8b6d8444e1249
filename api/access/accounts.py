"""Users and their passwords: creation, console login with lockout, disabling."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.auth import ROLES, as_utc
from api.access.passwords import burn_time, check_password, hash_password, needs_rehash
from api.access.policies import load_policies
from api.access.tokens import issue_token, revoke_tokens, token_valid_for
from api.audit.context import audit_call, audit_user_action
from domain.identity import normalize_mobile
from domain.store.audit import record_audit
from domain.tables.core import Court, User

__all__ = [
    "AccountError",
    "audit_cli",
    "authenticate",
    "check_password",
    "create_user",
    "disable_user",
    "ensure_court",
    "ensure_user",
    "find_user",
    "hash_password",
    "issue_token",
    "revoke_tokens",
    "token_valid_for",
    "write_secret",
]

_NAME_RE = re.compile(r"[\w.@-]{1,100}")
_COURT_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")
_SUBJECT_RE = re.compile(r"[\x21-\x7e]{1,255}")
# Who the audit names for actions taken with the CLI on the host (installation, operators).
CLI_ACTOR = "songda-cli"
CLI_ROLE = "installer"


class AccountError(ValueError):
    """A user or token could not be created; the message names the problem, not the data."""


def _check_new_user(
    session: Session, name: str, role: str, court_code: str | None, oidc_subject: str | None
) -> None:
    if not _NAME_RE.fullmatch(name):
        raise AccountError("name: use letters, digits, '.', '@', '_' or '-' (at most 100)")
    if role not in ROLES:
        raise AccountError(f"role: use one of {', '.join(sorted(ROLES))}")
    if court_code is not None and not _COURT_RE.fullmatch(court_code):
        raise AccountError("court: use letters, digits, '_' or '-' (at most 32)")
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise AccountError("name: a user with this name exists already")
    if oidc_subject is not None:
        if not _SUBJECT_RE.fullmatch(oidc_subject):
            raise AccountError("oidc subject: use 1 to 255 printable ASCII characters")
        if session.scalar(select(User.id).where(User.oidc_subject == oidc_subject)):
            raise AccountError("oidc subject: another user has this subject already")


def _mobile(phone: str) -> str:
    try:
        return normalize_mobile(phone)
    except ValueError:
        # The reason only: the number itself is personal data.
        raise AccountError("phone: use an 11-digit mainland mobile number") from None


def _check_password_policy(session: Session, password: str) -> None:
    minimum = load_policies(session).password_min_length
    if len(password) < minimum:
        raise AccountError(f"password: use at least {minimum} characters (security policy)")


def create_user(
    *,
    session: Session,
    name: str,
    role: str,
    court_code: str | None = None,
    phone: str | None = None,
    password: str | None = None,
    oidc_subject: str | None = None,
    enforce_policy: bool = False,
    audit_as: User | None = None,
) -> User:
    """Creates a user (one role per account) after checking its fields; audits and commits."""
    _check_new_user(session, name, role, court_code, oidc_subject)
    if password and enforce_policy:
        _check_password_policy(session, password)
    user = User(
        name=name,
        role=role,
        court_code=court_code,
        phone=_mobile(phone) if phone else None,
        password_hash=hash_password(password) if password else None,
        oidc_subject=oidc_subject,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    detail = {"role": role, "oidc": oidc_subject is not None}
    if audit_as is not None:
        audit_user_action(
            session, audit_as, action="user.add", target=f"user:{name}", detail=detail
        )
    else:
        audit_cli(
            session, action="user.add", target=f"user:{name}", court_code=court_code, detail=detail
        )
    session.commit()
    return user


def audit_cli(
    session: Session,
    *,
    action: str,
    target: str,
    court_code: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Appends an entry for an action taken at the console of the host (the CLI)."""
    record_audit(
        session,
        actor=CLI_ACTOR,
        role=CLI_ROLE,
        action=action,
        target=target,
        court_code=court_code,
        detail=detail,
    )


def find_user(*, session: Session, name: str) -> User:
    """Returns the user with this name, or raises AccountError."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise AccountError("name: no user with this name")
    return user


def disable_user(*, session: Session, user: User) -> None:
    """Disables a user and revokes its tokens and sessions (the caller audits and commits)."""
    if user.disabled_at is None:
        user.disabled_at = datetime.now(UTC)
    revoke_tokens(session=session, user=user)


def _login_audit(
    session: Session, user: User | None, name: str, source: str | None, outcome: str, reason: str
) -> None:
    audit_call(
        session,
        actor=user.name if user else name[:100],
        role=user.role if user else "unknown",
        court_code=user.court_code if user else None,
        action="auth.login",
        target=f"user:{user.name if user else name[:80]}",
        outcome=outcome,
        detail={"reason": reason} if reason else {},
        source_address=source,
    )


def _refusal(session: Session, user: User, password: str) -> str | None:
    """Returns why a known user may not log in now, or None; counts a wrong password."""
    now = datetime.now(UTC)
    if user.disabled_at is not None:
        burn_time(password)
        return "disabled"
    if user.locked_until is not None and as_utc(user.locked_until) > now:
        burn_time(password)
        return "locked"
    if user.password_hash and check_password(password, user.password_hash):
        return None
    policies = load_policies(session)
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= policies.lockout_threshold:
        user.locked_until = now + timedelta(minutes=policies.lockout_minutes)
        user.failed_logins = 0
        return "bad_password_locked"
    return "bad_password"


def authenticate(*, session: Session, name: str, password: str, source: str | None) -> User | None:
    """Checks a console login, locking the account after repeated failures; audits and commits."""
    # The row lock (PostgreSQL) serializes concurrent tries, so none escapes the failure count.
    user = session.scalar(select(User).where(User.name == name).with_for_update())
    if user is None:
        burn_time(password)
        _login_audit(session, None, name, source, "denied", "unknown_user")
        session.commit()
        return None
    reason = _refusal(session, user, password)
    if reason is not None:
        _login_audit(session, user, name, source, "denied", reason)
        session.commit()
        return None
    user.failed_logins = 0
    user.locked_until = None
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    _login_audit(session, user, name, source, "ok", "")
    session.commit()
    return user


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

"""Checks a console login through api.access.accounts.authenticate (argon2, lockout, audit)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.accounts import authenticate
from api.access.auth import as_utc
from domain.tables.core import User

WRONG = "用户名或密码不正确"
LOCKED = "登录失败次数过多，账户已暂时锁定，请稍后再试"


class LoginRefused(Exception):
    """The login failed; the message is fit for the login page (never says which part failed)."""


def check_login(*, session: Session, name: str, password: str, source: str | None) -> User:
    """Returns the user whose name and password match, or raises LoginRefused (audited)."""
    user = authenticate(session=session, name=name, password=password, source=source)
    if user is not None:
        return user
    # Telling "locked" apart helps the user wait instead of guessing on; it needs the right name
    # to show up, and the lock holds either way.
    known = session.scalar(select(User).where(User.name == name))
    if known is not None and known.locked_until is not None:
        if as_utc(known.locked_until) > datetime.now(UTC):
            raise LoginRefused(LOCKED)
    raise LoginRefused(WRONG)

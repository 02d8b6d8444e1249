"""Console login: argon2, scrypt upgraded on success, lockout by policy, disabled users, audit."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.accounts import authenticate, create_user, disable_user
from api.access.auth import as_utc
from api.access.passwords import check_password, hash_password
from domain.tables.core import User
from domain.tables.trust import AuditEntry, SecurityPolicy

PASSWORD = "correct horse battery"


def _scrypt(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def _logins(db: Session) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == "auth.login")))


def test_argon2_login_succeeds_and_is_audited_without_the_password(db: Session) -> None:
    user = create_user(session=db, name="judge-li", role="judge", password=PASSWORD)
    assert user.password_hash and user.password_hash.startswith("$argon2id$")
    assert authenticate(session=db, name="judge-li", password=PASSWORD, source="10.0.0.1")
    [entry] = _logins(db)
    assert (entry.actor, entry.outcome, entry.source_address) == ("judge-li", "ok", "10.0.0.1")
    assert PASSWORD not in repr(entry.detail) and PASSWORD not in entry.target


def test_scrypt_hash_verifies_and_is_rehashed_to_argon2(db: Session) -> None:
    user = create_user(session=db, name="clerk-wu", role="clerk")
    user.password_hash = _scrypt(PASSWORD)
    db.commit()
    assert check_password(PASSWORD, user.password_hash)
    assert authenticate(session=db, name="clerk-wu", password=PASSWORD, source=None)
    db.refresh(user)
    assert user.password_hash and user.password_hash.startswith("$argon2id$")
    assert check_password(PASSWORD, user.password_hash)


def test_wrong_password_and_unknown_user_are_refused_and_audited(db: Session) -> None:
    create_user(session=db, name="judge-li", role="judge", password=PASSWORD)
    assert authenticate(session=db, name="judge-li", password="nope", source=None) is None
    assert authenticate(session=db, name="ghost", password="nope", source=None) is None
    reasons = [(e.actor, e.outcome, e.detail["reason"]) for e in _logins(db)]
    assert reasons == [
        ("judge-li", "denied", "bad_password"),
        ("ghost", "denied", "unknown_user"),
    ]
    assert all("nope" not in repr(e.detail) for e in _logins(db))


def test_lockout_after_policy_threshold_refuses_even_the_right_password(db: Session) -> None:
    db.add(SecurityPolicy(key="lockout_threshold", value=3))
    db.add(SecurityPolicy(key="lockout_minutes", value=10))
    db.commit()
    create_user(session=db, name="judge-li", role="judge", password=PASSWORD)
    for _ in range(3):
        assert authenticate(session=db, name="judge-li", password="bad", source=None) is None
    user = db.scalars(select(User)).one()
    assert user.locked_until is not None
    remaining = as_utc(user.locked_until) - datetime.now(UTC)
    assert timedelta(minutes=9) < remaining <= timedelta(minutes=10)
    assert authenticate(session=db, name="judge-li", password=PASSWORD, source=None) is None
    assert [e.detail["reason"] for e in _logins(db)][-2:] == ["bad_password_locked", "locked"]
    # Once the lock has passed, the right password works again and clears the counter.
    user.locked_until = datetime.now(UTC) - timedelta(seconds=1)
    db.commit()
    assert authenticate(session=db, name="judge-li", password=PASSWORD, source=None)
    assert user.failed_logins == 0 and user.locked_until is None


def test_default_lockout_is_five_failures(db: Session) -> None:
    create_user(session=db, name="judge-li", role="judge", password=PASSWORD)
    for _ in range(4):
        authenticate(session=db, name="judge-li", password="bad", source=None)
    user = db.scalars(select(User)).one()
    assert user.locked_until is None and user.failed_logins == 4
    authenticate(session=db, name="judge-li", password="bad", source=None)
    assert user.locked_until is not None


def test_disabled_user_is_refused(db: Session) -> None:
    user = create_user(session=db, name="judge-li", role="judge", password=PASSWORD)
    disable_user(session=db, user=user)
    db.commit()
    assert authenticate(session=db, name="judge-li", password=PASSWORD, source=None) is None
    assert _logins(db)[-1].detail == {"reason": "disabled"}


def test_user_without_password_cannot_log_in(db: Session) -> None:
    create_user(session=db, name="case-system", role="case_system")
    assert authenticate(session=db, name="case-system", password="", source=None) is None


def test_hash_password_is_salted(db: Session) -> None:
    assert hash_password(PASSWORD) != hash_password(PASSWORD)
    assert not check_password(PASSWORD, "plain-text")
    assert not check_password(PASSWORD, "scrypt$zz$00")

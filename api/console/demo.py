"""Demo users for `make run`: one per role people try, passwords and token files on disk."""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.accounts import create_user, write_secret
from api.access.passwords import check_password, hash_password
from api.access.tokens import issue_token, token_valid_for
from domain.settings import Settings
from domain.tables.core import User

# Name, role, bound to the demo court: ops and the auditor work across courts.
DEMO_USERS = (
    ("demo-judge", "judge", True),
    ("demo-clerk", "clerk", True),
    ("demo-supervisor", "supervisor", True),
    ("demo-ops", "ops", False),
    ("demo-auditor", "auditor", False),
)


def passwords_file(settings: Settings) -> Path:
    """Returns where `make run` leaves the demo users' passwords (mode 600)."""
    return settings.state_dir / "demo-passwords"


def tokens_folder(settings: Settings) -> Path:
    """Returns the folder of the demo users' token files, one per user (mode 600)."""
    return settings.state_dir / "tokens"


def _saved(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    return {pair[0]: pair[1] for pair in pairs}


def ensure_demo_users(session: Session, settings: Settings, court_code: str) -> Path:
    """Creates the demo console users (or gives them a password) and writes the passwords file."""
    path = passwords_file(settings)
    saved = _saved(path)
    lines = []
    for name, role, in_court in DEMO_USERS:
        password = saved.get(name) or secrets.token_urlsafe(12)
        user = session.scalar(select(User).where(User.name == name))
        if user is None:
            user = create_user(session=session, name=name, role=role,
                               court_code=court_code if in_court else None,
                               password=password)  # fmt: skip
        elif not user.password_hash or not check_password(password, user.password_hash):
            user.password_hash = hash_password(password)
        lines.append(f"{name} {password}")
        _ensure_token_file(session, tokens_folder(settings) / name, user)
    session.commit()
    write_secret(path, "\n".join(lines))
    return path


def _ensure_token_file(session: Session, path: Path, user: User) -> None:
    token = path.read_text().strip() if path.is_file() else ""
    if not token or not token_valid_for(session=session, token=token, user=user):
        write_secret(path, issue_token(session=session, user=user))

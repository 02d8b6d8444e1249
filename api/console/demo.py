"""Demo console users for `make run`: a judge, a clerk and a supervisor, passwords on disk."""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.accounts import create_user, write_secret
from api.access.passwords import check_password, hash_password
from domain.settings import Settings
from domain.tables.core import User

DEMO_USERS = (("demo-judge", "judge"), ("demo-clerk", "clerk"), ("demo-supervisor", "supervisor"))


def passwords_file(settings: Settings) -> Path:
    """Returns where `make run` leaves the demo users' passwords (mode 600)."""
    return settings.state_dir / "demo-passwords"


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
    for name, role in DEMO_USERS:
        password = saved.get(name) or secrets.token_urlsafe(12)
        user = session.scalar(select(User).where(User.name == name))
        if user is None:
            create_user(session=session, name=name, role=role, court_code=court_code,
                        password=password)  # fmt: skip
        elif not user.password_hash or not check_password(password, user.password_hash):
            user.password_hash = hash_password(password)
        lines.append(f"{name} {password}")
    session.commit()
    write_secret(path, "\n".join(lines))
    return path

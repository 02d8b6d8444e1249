"""The demo console users of `make run`: created once, passwords on disk, and they log in."""

from __future__ import annotations

import stat

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.console.demo import ensure_demo_users, passwords_file
from domain.settings import Settings
from tests.console.conftest import login


def test_demo_users_log_in_with_the_saved_passwords(
    app_client: TestClient, settings: Settings, db: Session
) -> None:
    path = ensure_demo_users(db, settings, "J12")
    first = path.read_text()
    assert ensure_demo_users(db, settings, "J12") == passwords_file(settings)
    assert path.read_text() == first  # idempotent: the same passwords
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = dict(line.split(" ", 1) for line in first.splitlines())
    assert set(saved) == {
        "demo-judge", "demo-clerk", "demo-supervisor", "demo-ops", "demo-auditor"
    }  # fmt: skip
    tokens = settings.state_dir / "tokens"
    assert sorted(p.name for p in tokens.iterdir()) == sorted(saved)
    assert stat.S_IMODE((tokens / "demo-ops").stat().st_mode) == 0o600
    login(app_client, "demo-clerk", saved["demo-clerk"])

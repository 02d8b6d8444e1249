"""Security policies the security administrator owns: passwords, lockout, sessions, tokens."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.tables.trust import SecurityPolicy


@dataclass(frozen=True)
class Policies:
    """The policies in force; defaults follow MLPS level 3 practice."""

    password_min_length: int = 12
    lockout_threshold: int = 5
    lockout_minutes: int = 15
    session_idle_minutes: int = 30
    token_max_days: int = 90
    # Supervisors and ops without a court see every court: off until the security
    # administrator allows the system administrator to create them.
    cross_court_accounts: bool = False


class PoliciesIn(BaseModel):
    """A change of policies; each bound keeps the platform within MLPS level 3."""

    model_config = ConfigDict(extra="forbid")

    password_min_length: int | None = Field(default=None, ge=8, le=128)
    lockout_threshold: int | None = Field(default=None, ge=1, le=20)
    lockout_minutes: int | None = Field(default=None, ge=1, le=24 * 60)
    session_idle_minutes: int | None = Field(default=None, ge=1, le=8 * 60)
    token_max_days: int | None = Field(default=None, ge=1, le=3 * 366)
    cross_court_accounts: StrictBool | None = None


_KINDS = {item.name: item.type for item in fields(Policies)}


def load_policies(session: Session) -> Policies:
    """Returns the policies in force: stored values over the defaults."""
    stored: dict[str, Any] = {}
    for row in session.scalars(select(SecurityPolicy)):
        # Only known keys with values of their kind count; anything else keeps its default.
        kind = _KINDS.get(row.key)
        if kind == "bool" and isinstance(row.value, bool):
            stored[row.key] = row.value
        elif kind == "int" and isinstance(row.value, int) and not isinstance(row.value, bool):
            stored[row.key] = row.value
    return Policies(**stored)


def save_policies(*, session: Session, change: PoliciesIn, actor: str) -> dict[str, int | bool]:
    """Stores the changed policies (the caller audits and commits); returns what changed."""
    changed = {key: value for key, value in change.model_dump().items() if value is not None}
    now = datetime.now(UTC)
    for key, value in changed.items():
        row = session.get(SecurityPolicy, key)
        if row is None:
            row = SecurityPolicy(key=key)
            session.add(row)
        row.value = value
        row.updated_by = actor
        row.updated_at = now
    session.flush()
    return changed


def policies_dict(policies: Policies) -> dict[str, int | bool]:
    """Returns the policies as a plain mapping for answers and audit details."""
    return asdict(policies)

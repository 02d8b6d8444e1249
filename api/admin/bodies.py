"""Request and answer bodies of user management and security policies."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from api.access.policies import PoliciesIn

__all__ = [
    "AuditorIn",
    "PoliciesIn",
    "PoliciesOut",
    "RevokeIn",
    "RevokeOut",
    "UserIn",
    "UserOut",
    "UsersOut",
]


class UserIn(BaseModel):
    """A new user; administrators are created only with the CLI at installation."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, examples=["clerk-wang"])
    role: str = Field(examples=["clerk"])
    court: str | None = Field(default=None, max_length=32, examples=["J12"])
    phone: str | None = Field(default=None, max_length=32)
    password: str | None = Field(default=None, max_length=256)
    oidc_subject: str | None = Field(default=None, max_length=255)


class AuditorIn(BaseModel):
    """A new auditor, created by the audit administrator (no court: auditors read every court)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, examples=["auditor-zhao"])
    phone: str | None = Field(default=None, max_length=32)
    password: str | None = Field(default=None, max_length=256)
    oidc_subject: str | None = Field(default=None, max_length=255)

    def as_user(self) -> UserIn:
        """Returns the auditor as a user body with its fixed role."""
        return UserIn(role="auditor", **self.model_dump())


class UserOut(BaseModel):
    """A user as the system administrator sees it (phone masked, no secrets)."""

    name: str
    role: str
    court: str | None
    phone: str | None
    oidc_subject: str | None
    created_at: datetime
    disabled: bool
    locked: bool
    live_tokens: int


class UsersOut(BaseModel):
    """The users the caller manages, by name."""

    items: list[UserOut]


class RevokeIn(BaseModel):
    """Which tokens to revoke: one by its first characters, or all of the user's."""

    model_config = ConfigDict(extra="forbid")

    token_prefix: str | None = Field(default=None, min_length=8, max_length=64)


class RevokeOut(BaseModel):
    """How many tokens were revoked."""

    revoked: int


class PoliciesOut(BaseModel):
    """The security policies in force."""

    password_min_length: int
    lockout_threshold: int
    lockout_minutes: int
    session_idle_minutes: int
    token_max_days: int
    cross_court_accounts: bool

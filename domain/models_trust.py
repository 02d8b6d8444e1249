"""Tables for trust: the audit log, login sessions, security policies."""

from __future__ import annotations

from domain.models import Base  # noqa: F401

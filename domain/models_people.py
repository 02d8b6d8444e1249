"""Tables for people in the ladder: assignments, call attempts, evidence, call records."""

from __future__ import annotations

from domain.models import Base  # noqa: F401

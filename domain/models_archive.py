"""Tables for the archive handed back to the judge, and its callbacks."""

from __future__ import annotations

from domain.models import Base  # noqa: F401

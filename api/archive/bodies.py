"""The archive's body."""

from __future__ import annotations

from pydantic import BaseModel


class ArchiveOut(BaseModel):
    """The archive of a completed request: where to download it and its zip's SHA-256."""

    url: str
    sha256: str

"""Inputs and outputs of the hand-back activities: archive, callback, the judge's SMS."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArchiveInput:
    """Asks for the archive of a request whose parties have all ended."""

    request_id: str
    workflow_id: str = ""


@dataclass(frozen=True)
class ArchiveResult:
    """The archive as filed: its SHA-256, size, download URL and the manifest's hash."""

    sha256: str
    bytes: int
    url: str
    manifest_sha256: str


@dataclass(frozen=True)
class HandBackInput:
    """Asks to tell the case system (callback) or the judge (SMS) about a finished request."""

    request_id: str
    status: str
    archive_sha256: str
    workflow_id: str = ""


@dataclass(frozen=True)
class HandBackResult:
    """`delivered`, `sent`, `skipped` or `refused` (a callback target), and why."""

    outcome: str
    reason: str = ""

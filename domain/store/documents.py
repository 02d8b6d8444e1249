"""Content-addressed document store: files named by their SHA-256, checked on every read."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class DocumentIntegrityError(Exception):
    """A stored file no longer matches the hash it is filed under."""


class DocumentStore:
    """Stores bytes under state/documents/ab/cd/<sha256>."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, content: bytes) -> str:
        """Stores content (once) and returns its SHA-256 hex digest."""
        digest = hashlib.sha256(content).hexdigest()
        path = self._path(digest)
        if path.exists():
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a crash never leaves a half file under a valid name.
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
        return digest

    def get(self, sha256: str) -> bytes:
        """Returns the content filed under sha256, refusing it if it was altered."""
        content = self._path(sha256).read_bytes()
        if hashlib.sha256(content).hexdigest() != sha256:
            raise DocumentIntegrityError(f"document {sha256[:12]}… fails its SHA-256 check")
        return content

    def exists(self, sha256: str) -> bool:
        """Tells whether a file with this hash is stored."""
        return self._path(sha256).exists()

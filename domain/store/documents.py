"""Content-addressed document store: files named by the SHA-256 of their plaintext, encrypted
at rest with the data key ring, decrypted and checked against that hash on every read.

A stored file is `SDE1`, the scheme (`v1` AES-256-GCM, `g1` SM4-GCM), one byte of key id
length, the key id, then nonce and ciphertext; the header and the hash are bound to the
ciphertext, so a file moved under another name fails. Files written before encryption (clear)
still read, hash-checked, and `songda keys rotate` encrypts them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from domain.crypto.keyring import KeyRing, SealError
from domain.crypto.sealed_types import installed_ring

MAGIC = b"SDE1"


class DocumentIntegrityError(Exception):
    """A stored file no longer matches the hash it is filed under, or fails to decrypt."""


def _header(scheme: str, key_id: str) -> bytes:
    ident = key_id.encode()
    return MAGIC + scheme.encode() + bytes([len(ident)]) + ident


def _parse(raw: bytes) -> tuple[str, str, bytes, bytes] | None:
    """Returns scheme, key id, header and body of an encrypted file; None for a clear one."""
    if not raw.startswith(MAGIC) or len(raw) < 7:
        return None
    scheme = raw[4:6].decode("ascii", "replace")
    end = 7 + raw[6]
    return scheme, raw[7:end].decode("utf-8", "replace"), raw[:end], raw[end:]


class DocumentStore:
    """Stores bytes under state/documents/ab/cd/<sha256>, encrypted with the ring."""

    def __init__(self, root: Path, ring: KeyRing | None = None) -> None:
        self.root = root
        self._ring = ring

    @property
    def ring(self) -> KeyRing:
        """Returns the store's ring, else the process's installed one."""
        return self._ring or installed_ring()

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def _encrypt(self, digest: str, content: bytes) -> bytes:
        ring = self.ring
        header = _header(ring.scheme, ring.current)
        _, _, body = ring.encrypt_bound(content, header + digest.encode())
        return header + body

    def _write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a crash never leaves a half file under a valid name.
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)

    def put(self, content: bytes) -> str:
        """Stores content (once) encrypted and returns the SHA-256 hex digest of the plaintext."""
        digest = hashlib.sha256(content).hexdigest()
        path = self._path(digest)
        if not path.exists():
            self._write(path, self._encrypt(digest, content))
        return digest

    def get(self, sha256: str) -> bytes:
        """Returns the content filed under sha256, refusing it if it was altered."""
        raw = self._path(sha256).read_bytes()
        parsed = _parse(raw)
        content = raw
        if parsed is not None:
            scheme, key_id, header, body = parsed
            try:
                content = self.ring.decrypt_bound(scheme, key_id, body, header + sha256.encode())
            except SealError as exc:
                raise DocumentIntegrityError(f"document {sha256[:12]}… {exc}") from None
        if hashlib.sha256(content).hexdigest() != sha256:
            raise DocumentIntegrityError(f"document {sha256[:12]}… fails its SHA-256 check")
        return content

    def exists(self, sha256: str) -> bool:
        """Tells whether a file with this hash is stored."""
        return self._path(sha256).exists()

    def key_id(self, sha256: str) -> str | None:
        """Returns the id of the key a stored file is encrypted with; None for a clear file."""
        with self._path(sha256).open("rb") as handle:
            parsed = _parse(handle.read(7 + 255))
        return parsed[1] if parsed is not None else None

    def digests(self) -> Iterator[str]:
        """Yields the hash of every stored file."""
        if self.root.exists():
            for path in sorted(self.root.glob("??/??/*")):
                if path.is_file() and len(path.name) == 64:
                    yield path.name

    def reencrypt(self, sha256: str) -> bool:
        """Re-encrypts one file with the current key (checked first); tells whether it changed."""
        if self.key_id(sha256) == self.ring.current:
            return False
        self._write(self._path(sha256), self._encrypt(sha256, self.get(sha256)))
        return True


def rotate_files(store: DocumentStore) -> int:
    """Re-encrypts every file not under the current key (clear ones too); returns how many."""
    return sum(store.reencrypt(digest) for digest in list(store.digests()))


def files_by_key(store: DocumentStore) -> dict[str, int]:
    """Counts the stored files per key id (`clear` for files written before encryption)."""
    counts: dict[str, int] = {}
    for digest in store.digests():
        key = store.key_id(digest) or "clear"
        counts[key] = counts.get(key, 0) + 1
    return counts

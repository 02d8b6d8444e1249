"""Court seal keys: one SM2 key pair per court signs its archives; private keys sealed at rest.

Kept as files in the state folder, beside the document store they sign for, not in a table:
the keys belong to the installation the way the document store does (every worker that builds
archives already shares that folder), they need no migration, and a key is read once per
archive. `seal-keys/<court>/<key id>.json` holds the public key in clear and the private key
sealed with the data key ring (SM4-GCM or AES-256-GCM, bound to the seal key's id);
`seal-keys/<court>/current` names the key that signs. Rotation adds a key and moves `current`;
old keys stay, so an archive signed before still verifies and is filed again with the same
bytes. `songda keys rotate` re-seals these files too when the data keys rotate.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from domain.crypto.keyring import KeyRing, SealError, key_id_of
from songda_verify import sigfile, sm2

if TYPE_CHECKING:
    from domain.settings import Settings

COURT_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")
KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
FOLDER = "seal-keys"
CURRENT = "current"


class SealKeyError(RuntimeError):
    """A court has no seal key, already has one, or a key file is damaged or foreign."""


@dataclass(frozen=True)
class SealKey:
    """One court seal key as filed: the public half in clear, the private half sealed."""

    key_id: str
    court_code: str
    public_key: bytes
    created_at: str
    private_sealed: str

    @property
    def fingerprint(self) -> str:
        """Returns the SM3 fingerprint another court checks the archive's key against."""
        return sigfile.fingerprint(self.public_key)

    def as_public(self) -> dict[str, str]:
        """Returns what may be published: ids, the public key (hex and PEM), the fingerprint."""
        return {
            "key_id": self.key_id,
            "court_code": self.court_code,
            "algorithm": sigfile.ALGORITHM,
            "created_at": self.created_at,
            "fingerprint": self.fingerprint,
            "public_key": self.public_key.hex(),
            "public_key_pem": sigfile.public_key_pem(self.public_key),
        }


def _write(path: Path, data: str, *, exclusive: bool = False) -> bool:
    """Writes a file readable by its owner only, whole or not at all; False if it existed."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(data)
    if not exclusive:
        os.replace(tmp, path)
        return True
    try:
        os.link(tmp, path)  # fails if another process named its key first
        return True
    except FileExistsError:
        return False
    finally:
        os.unlink(tmp)


class CourtSeals:
    """Creates, rotates, finds and uses the courts' seal keys under root."""

    def __init__(self, root: Path, ring: KeyRing) -> None:
        self.root = root
        self.ring = ring

    @classmethod
    def from_settings(cls, settings: Settings) -> CourtSeals:
        """Returns the seal keys of the state folder, opened with the data key ring."""
        return cls(settings.state_dir / FOLDER, settings.key_ring)

    def _folder(self, court_code: str) -> Path:
        if not COURT_CODE.fullmatch(court_code):
            raise SealKeyError(f"not a court code: {court_code!r}")
        return self.root / court_code

    def _new_key(self, court_code: str) -> SealKey:
        private_key = sm2.generate_private_key()
        public_key = sm2.public_key_of(private_key)
        now = datetime.now(UTC).replace(microsecond=0)
        key_id = f"{court_code}-{now:%Y%m%d}-{sigfile.fingerprint(public_key)[:8]}"
        sealed = self.ring.seal(f"{key_id}:{private_key:064x}")
        key = SealKey(key_id, court_code, public_key, now.isoformat(), sealed)
        document = {**key.as_public(), "private_key_sealed": sealed}
        _write(self._folder(court_code) / f"{key_id}.json", json.dumps(document, indent=2))
        return key

    def create(self, court_code: str) -> SealKey:
        """Creates the court's first seal key; refuses if it has one (rotate instead)."""
        key = self._new_key(court_code)
        if not _write(self._folder(court_code) / CURRENT, key.key_id, exclusive=True):
            (self._folder(court_code) / f"{key.key_id}.json").unlink()
            raise SealKeyError(f"court {court_code} already has a seal key: rotate it instead")
        return key

    def rotate(self, court_code: str) -> SealKey:
        """Adds a new key that signs from now on; the old ones stay to sign archives again."""
        if self.current(court_code) is None:
            raise SealKeyError(f"court {court_code} has no seal key yet: create one first")
        key = self._new_key(court_code)
        _write(self._folder(court_code) / CURRENT, key.key_id)
        return key

    def ensure(self, court_code: str) -> tuple[SealKey, bool]:
        """Returns the court's current key, creating the first one if it has none (True)."""
        key = self.current(court_code)
        if key is not None:
            return key, False
        try:
            return self.create(court_code), True
        except SealKeyError:
            key = self.current(court_code)  # another worker created it meanwhile
            if key is None:
                raise
            return key, False

    def current(self, court_code: str) -> SealKey | None:
        """Returns the key that signs the court's archives now, or None before the first."""
        pointer = self._folder(court_code) / CURRENT
        if not pointer.is_file():
            return None
        return self.get(court_code, pointer.read_text(encoding="utf-8").strip())

    def get(self, court_code: str, key_id: str) -> SealKey:
        """Returns one of the court's keys by its id."""
        path = self._folder(court_code) / f"{key_id}.json"
        if not KEY_ID.fullmatch(key_id) or not path.is_file():
            raise SealKeyError(f"court {court_code} has no seal key {key_id!r}")
        document = json.loads(path.read_text(encoding="utf-8"))
        key = SealKey(
            key_id=document["key_id"],
            court_code=document["court_code"],
            public_key=bytes.fromhex(document["public_key"]),
            created_at=document["created_at"],
            private_sealed=document["private_key_sealed"],
        )
        if (key.key_id, key.court_code) != (key_id, court_code):
            raise SealKeyError(f"seal key file {path.name} names another key or court")
        return key

    def keys(self, court_code: str) -> list[SealKey]:
        """Returns every key the court has had, oldest first."""
        folder = self._folder(court_code)
        found = [self.get(court_code, p.stem) for p in folder.glob("*.json")]
        return sorted(found, key=lambda key: (key.created_at, key.key_id))

    def courts(self) -> list[str]:
        """Returns the codes of the courts that have a seal key."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if (p / CURRENT).is_file())

    def _private_key(self, key: SealKey) -> int:
        try:
            opened = self.ring.open(key.private_sealed)
        except SealError as exc:
            raise SealKeyError(f"seal key {key.key_id} cannot be opened: {exc}") from None
        key_id, _, private_hex = opened.rpartition(":")
        private_key = int(private_hex, 16)
        if key_id != key.key_id or sm2.public_key_of(private_key) != key.public_key:
            raise SealKeyError(f"seal key {key.key_id}: the private key is not this key's")
        return private_key

    def sign_manifest(self, key: SealKey, manifest: bytes) -> bytes:
        """Signs manifest.json's exact bytes with the key; returns manifest.sig."""
        return sigfile.build(
            manifest, self._private_key(key), key_id=key.key_id, court_code=key.court_code
        )

    def reseal(self) -> int:
        """Re-seals every private key with the ring's current data key; returns how many."""
        count = 0
        for court_code in self.courts():
            for key in self.keys(court_code):
                if key_id_of(key.private_sealed) == self.ring.current:
                    continue
                private_key = self._private_key(key)
                sealed = self.ring.seal(f"{key.key_id}:{private_key:064x}")
                document = {**key.as_public(), "private_key_sealed": sealed}
                path = self._folder(court_code) / f"{key.key_id}.json"
                _write(path, json.dumps(document, indent=2))
                count += 1
        return count

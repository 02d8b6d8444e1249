"""Court seal keys: created, rotated and exported per court; private keys sealed at rest."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from domain.crypto.court_seal import CourtSeals, SealKeyError
from domain.crypto.keyring import KeyRing
from songda_verify import sigfile, sm2


def ring(*key_ids: str, suite: str = "aes") -> KeyRing:
    spec = ",".join(f"{k}:{base64.b64encode(k.encode().ljust(32, b'.')).decode()}" for k in key_ids)
    return KeyRing.from_spec(spec, "index-key", suite)


@pytest.fixture
def seals(tmp_path: Path) -> CourtSeals:
    return CourtSeals(tmp_path / "seal-keys", ring("k1"))


def test_create_sign_and_verify(seals: CourtSeals) -> None:
    key = seals.create("J12")
    assert seals.current("J12") == key
    assert key.key_id.startswith("J12-") and key.key_id.endswith(key.fingerprint[:8])
    manifest = b'{"audit_head": {"hash": "' + b"0" * 64 + b'", "seq": 0}, "files": []}'
    parsed = sigfile.parse(seals.sign_manifest(key, manifest))
    assert (parsed.key_id, parsed.court_code) == (key.key_id, "J12")
    assert parsed.public_key == key.public_key
    assert sm2.verify(key.public_key, manifest, parsed.signature)
    with pytest.raises(SealKeyError, match="already has a seal key"):
        seals.create("J12")
    assert [k.key_id for k in seals.keys("J12")] == [key.key_id]


def test_the_private_key_is_sealed_at_rest(seals: CourtSeals, tmp_path: Path) -> None:
    key = seals.create("J12")
    path = tmp_path / "seal-keys" / "J12" / f"{key.key_id}.json"
    stored = json.loads(path.read_text())
    assert stored["private_key_sealed"].startswith("v1:k1:")
    assert path.stat().st_mode & 0o077 == 0
    private_key = seals._private_key(key)
    assert f"{private_key:064x}" not in path.read_text()
    # Another installation's data keys cannot open it.
    stranger = CourtSeals(tmp_path / "seal-keys", ring("k9"))
    with pytest.raises(SealKeyError, match="cannot be opened"):
        stranger.sign_manifest(key, b"{}")


def test_a_sealed_private_key_moved_to_another_key_is_refused(seals: CourtSeals) -> None:
    first = seals.create("J12")
    second = seals.rotate("J12")
    path = seals.root / "J12" / f"{second.key_id}.json"
    stored = json.loads(path.read_text())
    stored["private_key_sealed"] = first.private_sealed
    path.write_text(json.dumps(stored))
    with pytest.raises(SealKeyError, match="not this key's"):
        seals.sign_manifest(seals.get("J12", second.key_id), b"{}")


def test_rotate_moves_current_and_keeps_the_old_key(seals: CourtSeals) -> None:
    with pytest.raises(SealKeyError, match="create one first"):
        seals.rotate("J12")
    old = seals.create("J12")
    new = seals.rotate("J12")
    assert new.key_id != old.key_id and seals.current("J12") == new
    assert [k.key_id for k in seals.keys("J12")] == sorted([old.key_id, new.key_id])
    assert seals.get("J12", old.key_id) == old
    signed_by_old = sigfile.parse(seals.sign_manifest(old, b"{}"))
    assert signed_by_old.key_id == old.key_id
    assert sm2.verify(old.public_key, b"{}", signed_by_old.signature)
    assert seals.courts() == ["J12"]


def test_export_public_has_no_private_part(seals: CourtSeals) -> None:
    key = seals.create("J12")
    public = key.as_public()
    assert public["fingerprint"] == sigfile.fingerprint(key.public_key)
    assert public["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert "private" not in json.dumps(public)


def test_ensure_creates_once(seals: CourtSeals) -> None:
    first, created = seals.ensure("J12")
    again, created_again = seals.ensure("J12")
    assert created and not created_again and first == again


def test_reseal_moves_keys_to_the_current_data_key(tmp_path: Path) -> None:
    before = CourtSeals(tmp_path / "seal-keys", ring("k1"))
    key = before.create("J12")
    after = CourtSeals(tmp_path / "seal-keys", ring("k2", "k1", suite="sm4"))
    assert after.reseal() == 1
    assert after.reseal() == 0
    moved = after.get("J12", key.key_id)
    assert moved.private_sealed.startswith("g1:k2:")
    assert after._private_key(moved) == before._private_key(key)


@pytest.mark.parametrize("court", ["", "../J12", "J 12", "J12/x"])
def test_court_codes_are_plain_names(seals: CourtSeals, court: str) -> None:
    with pytest.raises(SealKeyError):
        seals.create(court)

"""Issue 13 (8): the document store keeps files encrypted under the key ring, hash-checked."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from domain.crypto.keyring import KeyRing
from domain.store.documents import DocumentIntegrityError, DocumentStore, rotate_files

CONTENT = "传票 张三 11010119950612101X 天津市河西区友谊路1号 ".encode() * 20
KEY_A = "a:" + base64.b64encode(b"A" * 32).decode()
KEY_B = "b:" + base64.b64encode(b"B" * 32).decode()


def _ring(spec: str, suite: str = "aes") -> KeyRing:
    return KeyRing.from_spec(spec, "index", suite)


def _path(root: Path, digest: str) -> Path:
    return root / digest[:2] / digest[2:4] / digest


def test_the_bytes_on_disk_hold_no_plaintext(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path, _ring(KEY_A))
    digest = store.put(CONTENT)
    assert digest == hashlib.sha256(CONTENT).hexdigest()
    on_disk = _path(tmp_path, digest).read_bytes()
    for needle in (CONTENT[:12], "张三".encode(), b"11010119950612101X", "友谊路".encode()):
        assert needle not in on_disk
    assert store.key_id(digest) == "a"
    assert store.get(digest) == CONTENT


@pytest.mark.parametrize("position", [12, 40, -1])
def test_a_tampered_file_is_refused(tmp_path: Path, position: int) -> None:
    store = DocumentStore(tmp_path, _ring(KEY_A))
    digest = store.put(CONTENT)
    path = _path(tmp_path, digest)
    raw = bytearray(path.read_bytes())
    raw[position] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(DocumentIntegrityError) as caught:
        store.get(digest)
    assert digest[:12] in str(caught.value) and "张" not in str(caught.value)


def test_a_file_moved_under_another_hash_is_refused(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path, _ring(KEY_A))
    first, second = store.put(CONTENT), store.put(b"another document")
    _path(tmp_path, second).write_bytes(_path(tmp_path, first).read_bytes())
    with pytest.raises(DocumentIntegrityError):
        store.get(second)


def test_clear_files_still_read_and_rotation_encrypts_them(tmp_path: Path) -> None:
    digest = hashlib.sha256(CONTENT).hexdigest()
    _path(tmp_path, digest).parent.mkdir(parents=True)
    _path(tmp_path, digest).write_bytes(CONTENT)  # written before encryption at rest
    store = DocumentStore(tmp_path, _ring(KEY_A))
    assert store.get(digest) == CONTENT
    assert store.key_id(digest) is None
    assert rotate_files(store) == 1
    assert CONTENT[:12] not in _path(tmp_path, digest).read_bytes()
    rotated = DocumentStore(tmp_path, _ring(f"{KEY_B},{KEY_A}"))
    assert rotate_files(rotated) == 1 and rotate_files(rotated) == 0
    assert DocumentStore(tmp_path, _ring(KEY_B)).get(digest) == CONTENT
    assert DocumentStore(tmp_path, _ring(KEY_B)).key_id(digest) == "b"


def test_a_tampered_clear_file_is_refused(tmp_path: Path) -> None:
    digest = hashlib.sha256(CONTENT).hexdigest()
    _path(tmp_path, digest).parent.mkdir(parents=True)
    _path(tmp_path, digest).write_bytes(CONTENT + b"!")
    with pytest.raises(DocumentIntegrityError):
        DocumentStore(tmp_path, _ring(KEY_A)).get(digest)

"""Unit tests for the content-addressed document store."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from domain.store.documents import DocumentIntegrityError, DocumentStore

CONTENT = b"%PDF-1.7 summons for (2026)\xe6\xb4\xa5 0103"


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_put_get_round_trip(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path)
    digest = store.put(CONTENT)
    assert digest == hashlib.sha256(CONTENT).hexdigest()
    assert store.get(digest) == CONTENT
    assert store.exists(digest)
    assert (tmp_path / digest[:2] / digest[2:4] / digest).is_file()


def test_empty_content(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path)
    assert store.get(store.put(b"")) == b""


def test_same_content_stored_once(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path)
    first = store.put(CONTENT)
    second = DocumentStore(tmp_path).put(CONTENT)
    assert first == second
    assert files_under(tmp_path) == [tmp_path / first[:2] / first[2:4] / first]


def test_different_content_stored_separately(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path)
    a, b = store.put(b"one"), store.put(b"two")
    assert a != b
    assert store.get(a) == b"one"
    assert store.get(b) == b"two"
    assert len(files_under(tmp_path)) == 2


def test_tampered_file_raises(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path)
    digest = store.put(CONTENT)
    (tmp_path / digest[:2] / digest[2:4] / digest).write_bytes(CONTENT + b" altered")
    with pytest.raises(DocumentIntegrityError) as caught:
        store.get(digest)
    assert digest[:12] in str(caught.value)


def test_unknown_hash_is_not_stored(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path)
    digest = hashlib.sha256(b"never stored").hexdigest()
    assert store.exists(digest) is False
    with pytest.raises(FileNotFoundError):
        store.get(digest)

"""Evidence types are told from the bytes, not from names or headers."""

from __future__ import annotations

import pytest

from domain.pure.media_types import accepted_for, sniff

SAMPLES = {
    "wav": (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav"),
    "mp3-id3": (b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg"),
    "mp3-frame": (b"\xff\xfb\x90\x64\x00", "audio/mpeg"),
    "m4a": (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", "audio/mp4"),
    "mp4": (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00", "video/mp4"),
    "amr": (b"#!AMR\n\x3c", "audio/amr"),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
    "pdf": (b"%PDF-1.7\n", "application/pdf"),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sniffs_magic_numbers(name: str) -> None:
    content, expected = SAMPLES[name]
    assert sniff(content) == expected


def test_unknown_and_lookalikes() -> None:
    assert sniff(b"hello") is None
    assert sniff(b"") is None
    assert sniff(b"\xff\xf1\x50\x80") is None  # AAC ADTS, not MPEG audio layer III
    assert sniff(b"RIFF\x00\x00\x00\x00AVI ") is None


def test_kinds_accept_their_types_only() -> None:
    assert "audio/wav" in accepted_for("recording")
    assert "image/jpeg" not in accepted_for("recording")
    assert accepted_for("signed_receipt") == {"application/pdf", "image/jpeg", "image/png"}
    assert accepted_for("video") == {"video/mp4"}
    assert accepted_for("nonsense") == frozenset()

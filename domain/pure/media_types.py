"""Evidence file types: what each kind of evidence may be, told from the bytes (magic numbers)."""

from __future__ import annotations

from collections.abc import Callable

EVIDENCE_KINDS = ("recording", "photo", "video", "signed_receipt")

# What each kind of evidence may be. A signed receipt (送达回证) is a scan: PDF or a picture.
ACCEPTED: dict[str, frozenset[str]] = {
    "recording": frozenset({"audio/wav", "audio/mpeg", "audio/mp4", "audio/amr", "audio/amr-wb"}),
    "photo": frozenset({"image/jpeg", "image/png"}),
    "video": frozenset({"video/mp4"}),
    "signed_receipt": frozenset({"application/pdf", "image/jpeg", "image/png"}),
}

EXTENSIONS = {
    "audio/wav": "wav",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/amr": "amr",
    "audio/amr-wb": "awb",
    "image/jpeg": "jpg",
    "image/png": "png",
    "video/mp4": "mp4",
    "application/pdf": "pdf",
}

# ISO base media brands that mean audio only (an .m4a); any other brand is taken as video.
_AUDIO_BRANDS = frozenset({b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "})


def _iso_media(content: bytes) -> str | None:
    if content[4:8] != b"ftyp":
        return None
    return "audio/mp4" if content[8:12] in _AUDIO_BRANDS else "video/mp4"


def _mpeg_audio(content: bytes) -> str | None:
    if content.startswith(b"ID3"):
        return "audio/mpeg"
    # An MPEG audio frame header: 11 sync bits, then a layer other than 00 (00 is AAC ADTS).
    if len(content) >= 2 and content[0] == 0xFF and content[1] & 0xE0 == 0xE0:
        return "audio/mpeg" if content[1] & 0x06 else None
    return None


def _riff_wave(content: bytes) -> str | None:
    return "audio/wav" if content[:4] == b"RIFF" and content[8:12] == b"WAVE" else None


_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
    (b"#!AMR-WB\n", "audio/amr-wb"),
    (b"#!AMR\n", "audio/amr"),
)
_PROBES: tuple[Callable[[bytes], str | None], ...] = (_riff_wave, _iso_media, _mpeg_audio)


def sniff(content: bytes) -> str | None:
    """Returns the media type the bytes show by their magic number, or None when unknown."""
    for prefix, media_type in _PREFIXES:
        if content.startswith(prefix):
            return media_type
    for probe in _PROBES:
        found = probe(content)
        if found:
            return found
    return None


def accepted_for(kind: str) -> frozenset[str]:
    """Returns the media types a kind of evidence may have (empty for an unknown kind)."""
    return ACCEPTED.get(kind, frozenset())


def extension(media_type: str) -> str:
    """Returns the usual file extension of a media type, without the dot."""
    return EXTENSIONS.get(media_type, "bin")

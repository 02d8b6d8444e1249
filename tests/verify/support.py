"""Archives for the verifier's tests, built the way songda builds them, without a database."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

from songda_verify import sigfile

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
HEAD = {"seq": 41, "hash": hashlib.sha256(b"entry 41").hexdigest()}
FILES = {
    "report.pdf": b"%PDF-1.4 the request's report",
    "proofs/P1.pdf": b"%PDF-1.4 proof of service for P1",
    "timelines/P1.json": b'{"party_ref": "P1", "events": []}',
    "evidence/P1/photo.png": b"\x89PNG\r\n\x1a\n a photo of the documents left at the door",
}


def as_json(value: Any) -> bytes:
    """Returns JSON as the archive writes it."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2).encode()


def manifest(files: dict[str, bytes], head: Any = HEAD) -> bytes:
    """Returns manifest.json for files, with the court, the case and the audit chain head."""
    entries = [
        {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        for path, data in sorted(files.items())
    ]
    return as_json(
        {
            "files": entries,
            "court_code": "J12",
            "court_name": "天津市河西区人民法院",
            "case_number": "（2026）津0103民初1234号",
            "audit_head": head,
        }
    )


def zip_of(entries: list[tuple[str, bytes]]) -> bytes:
    """Returns a zip of entries in the given order (duplicates allowed, as an attacker might)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in entries:
            info = zipfile.ZipInfo(path, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def entries_of(content: bytes) -> dict[str, bytes]:
    """Returns the files of a zip by name."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def signed_files(key: int, files: dict[str, bytes] = FILES) -> dict[str, bytes]:
    """Returns the archive's files: files, manifest.json and manifest.sig signed with key."""
    listed = manifest(files)
    signature = sigfile.build(listed, key, key_id="J12-20261102-test", court_code="J12")
    return {**files, sigfile.MANIFEST: listed, sigfile.SIGNATURE: signature}


def archive(files: dict[str, bytes]) -> bytes:
    """Returns the zip of files, sorted by path."""
    return zip_of(sorted(files.items()))

"""Packs an archive: the PDFs, timelines and evidence, a signed manifest, one deterministic zip."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from activities.archive_facts import RequestFacts, safe_name
from activities.archive_pdf import proof_pdf, report_pdf
from domain.store.documents import DocumentStore
from songda_verify.sigfile import MANIFEST, SIGNATURE

# Zip entries carry no real time: the same files always give the same archive bytes.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Packed:
    """The zip's bytes and the hash of the manifest inside it."""

    content: bytes
    manifest_sha256: str


@dataclass(frozen=True)
class Sealing:
    """How to seal an archive: the audit chain's head to record, and the court's signer
    (manifest.json's bytes in, manifest.sig's bytes out)."""

    audit_head: dict[str, Any]
    sign: Callable[[bytes], bytes]


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2).encode()


def timeline_json(facts: RequestFacts, ref: str) -> bytes:
    """Returns a party's timeline with its plan (the first event lists steps and reasons)."""
    party = next(p for p in facts.parties if p.ref == ref)
    plans = [e["detail"] for e in party.events if e["kind"] == "plan"]
    return _json(
        {
            "request_id": facts.request_id,
            "case_number": facts.case_number,
            "party_ref": party.ref,
            "status": party.status,
            "method": party.method,
            "served_on": party.served_on,
            "provisional": bool(party.provisional),
            "provisional_reason": party.provisional,
            "plan": plans[0] if plans else None,
            "events": party.events,
        }
    )


def archive_files(facts: RequestFacts, store: DocumentStore) -> dict[str, bytes]:
    """Returns every file of the archive but the manifest, by its path in the zip."""
    files = {"report.pdf": report_pdf(facts)}
    for party in facts.parties:
        ref = safe_name(party.ref)
        files[f"proofs/{ref}.pdf"] = proof_pdf(facts, party)
        files[f"timelines/{ref}.json"] = timeline_json(facts, party.ref)
        for evidence in party.evidence:
            # The store checks the hash on read: altered evidence never enters an archive.
            files[evidence.path] = store.get(evidence.sha256)
    return files


def manifest(
    files: dict[str, bytes],
    facts: RequestFacts,
    audit_head: dict[str, Any] | None = None,
    hashed: dict[str, str] | None = None,
) -> bytes:
    """Returns manifest.json: the court and case, every file's path, SHA-256 and size sorted
    by path, and the audit chain's head when the archive is sealed. `hashed`: the SHA-256 of
    files already checked against it (evidence, checked by the store as it read them)."""
    known = hashed or {}
    entries = [
        {
            "path": path,
            "sha256": known.get(path) or hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
        }
        for path, data in sorted(files.items())
    ]
    listed: dict[str, Any] = {
        "files": entries,
        "request_id": facts.request_id,
        "court_code": facts.court_code,
        "court_name": facts.court_name,
        "case_number": facts.case_number,
    }
    if audit_head is not None:
        listed["audit_head"] = audit_head
    return _json(listed)


def deterministic_zip(files: dict[str, bytes]) -> bytes:
    """Returns a zip of files, sorted by path, with fixed times and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the machine that builds it
            archive.writestr(info, files[path], compresslevel=6)
    return buffer.getvalue()


def pack(facts: RequestFacts, store: DocumentStore, sealing: Sealing | None = None) -> Packed:
    """Builds the archive's files, its manifest (signed in manifest.sig when sealing) and the
    zip of them all."""
    files = archive_files(facts, store)
    # The store refuses evidence whose bytes do not hash to the recorded SHA-256: not hashed again.
    hashed = {e.path: e.sha256 for party in facts.parties for e in party.evidence}
    listed = manifest(files, facts, sealing.audit_head if sealing else None, hashed)
    files[MANIFEST] = listed
    if sealing is not None:
        files[SIGNATURE] = sealing.sign(listed)
    return Packed(deterministic_zip(files), hashlib.sha256(listed).hexdigest())

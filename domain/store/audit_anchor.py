"""The audit chain's head, anchored outside the database: a small document naming the last
entry, signed with a court's SM2 seal key, to keep where the database administrator cannot
reach (an archive, the court's records office). A chain rewritten later no longer ends there."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from domain.crypto.court_seal import CourtSeals, SealKey
from domain.store.audit import chain_head

FORMAT = "songda-audit-head/1"


def head_document(session: Session, court_code: str | None) -> bytes:
    """Returns the head as canonical JSON bytes (what gets signed)."""
    document = {
        "format": FORMAT,
        "court_code": court_code,
        "audit_head": chain_head(session),
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2).encode()


def sign_head(seals: CourtSeals, key: SealKey, document: bytes, name: str) -> bytes:
    """Signs the head document's exact bytes with the court's seal key (SM2 with SM3)."""
    signature = json.loads(seals.sign_manifest(key, document))
    signature["signed_file"] = name
    signature["format"] = f"{FORMAT}+sig"
    return json.dumps(signature, ensure_ascii=False, sort_keys=True, indent=2).encode()

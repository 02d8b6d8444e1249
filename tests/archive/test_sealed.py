"""The filed archive is sealed: the court's SM2 signature and the audit head, verified offline."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from sqlalchemy import select

from activities.archive import ArchiveActivities
from domain.pure.archive_io import ArchiveInput
from domain.tables.trust import AuditEntry
from songda_verify import sigfile, verify_archive
from tests.archive.conftest import CASE_NUMBER, Seeded


def _filed(seeded: Seeded, tmp_path: Path) -> tuple[ArchiveActivities, bytes, Path]:
    activities = ArchiveActivities(seeded.sessions, seeded.store, seeded.settings)
    filed = activities.build_archive(ArchiveInput(seeded.request_id, "sr-r1"))
    content = seeded.store.get(filed.sha256)
    path = tmp_path / "archive.zip"
    path.write_bytes(content)
    return activities, content, path


def test_the_filed_archive_verifies_offline(seeded: Seeded, tmp_path: Path) -> None:
    activities, content, path = _filed(seeded, tmp_path)
    key = activities.seals.current("J12")
    assert key is not None
    verdict = verify_archive(path, court_key=key.fingerprint)
    assert verdict.ok, verdict.text()
    assert CASE_NUMBER in verdict.text()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        manifest = json.loads(archive.read(sigfile.MANIFEST))
        seal = sigfile.parse(archive.read(sigfile.SIGNATURE))
    with seeded.sessions() as session:
        created = session.scalar(select(AuditEntry).where(AuditEntry.action == "archive.created"))
        head = session.get_one(AuditEntry, manifest["audit_head"]["seq"])
    assert created is not None and created.detail["audit_head"] == manifest["audit_head"]
    assert head.hash == manifest["audit_head"]["hash"] == created.prev_hash
    assert (seal.key_id, seal.court_code) == (key.key_id, "J12")
    assert manifest["court_code"] == "J12" and manifest["request_id"] == seeded.request_id


def test_a_lost_archive_is_refiled_identically_after_a_rotation(
    seeded: Seeded, tmp_path: Path
) -> None:
    activities, content, _ = _filed(seeded, tmp_path)
    activities.seals.rotate("J12")
    sha256 = activities.build_archive(ArchiveInput(seeded.request_id)).sha256
    seeded.store._path(sha256).unlink()
    again = activities.build_archive(ArchiveInput(seeded.request_id))
    assert again.sha256 == sha256
    assert seeded.store.get(sha256) == content


def test_a_changed_proof_in_a_real_archive_is_refused(seeded: Seeded, tmp_path: Path) -> None:
    _, content, path = _filed(seeded, tmp_path)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["proofs/P1.pdf"] = files["proofs/P1.pdf"].replace(b"%%EOF", b"%%EOF\n% edited")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    verdict = verify_archive(path)
    assert verdict.failed() == ["files"], verdict.text()

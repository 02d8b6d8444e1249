"""The archive's zip: the manifest matches every file, and the same facts give the same bytes."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from activities.archive_facts import gather
from activities.archive_pack import FIXED_TIME, MANIFEST, pack
from activities.archive_pdf import register_font
from tests.archive.conftest import PHOTO, Seeded


def _packed(seeded: Seeded) -> bytes:
    register_font(seeded.settings.pdf_font)
    with seeded.sessions() as session:
        return pack(gather(session, seeded.request_id), seeded.store).content


def test_manifest_lists_every_other_file_with_its_hash_and_size(seeded: Seeded) -> None:
    with zipfile.ZipFile(io.BytesIO(_packed(seeded))) as archive:
        names = set(archive.namelist())
        listed = json.loads(archive.read(MANIFEST))["files"]
        assert {entry["path"] for entry in listed} == names - {MANIFEST}
        for entry in listed:
            data = archive.read(entry["path"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            assert len(data) == entry["bytes"]
    assert {"report.pdf", "proofs/P1.pdf", "proofs/P2.pdf", "timelines/P1.json"} <= names
    assert "evidence/P2/e1-door.png" in names


def test_evidence_and_timeline_are_carried_as_recorded(seeded: Seeded) -> None:
    with zipfile.ZipFile(io.BytesIO(_packed(seeded))) as archive:
        assert archive.read("evidence/P2/e1-door.png") == PHOTO
        timeline = json.loads(archive.read("timelines/P1.json"))
    assert timeline["plan"]["steps"][0]["reason"] == "consented to electronic service"
    assert [e["kind"] for e in timeline["events"]] == ["plan", "finished"]


def test_the_zip_is_deterministic(seeded: Seeded) -> None:
    first, second = _packed(seeded), _packed(seeded)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {FIXED_TIME}


def test_no_personal_data_in_clear(seeded: Seeded) -> None:
    with zipfile.ZipFile(io.BytesIO(_packed(seeded))) as archive:
        texts = [archive.read(n) for n in archive.namelist() if n.endswith(".json")]
    for text in texts:
        assert b"13800000002" not in text
        assert b"11010119950612101X" not in text

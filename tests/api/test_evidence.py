"""Evidence on work orders: hash and type checks, size limits, and who may see it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.settings import Settings
from domain.tables.core import TimelineEvent
from domain.tables.people import Evidence
from domain.tables.trust import AuditEntry
from tests.api.conftest import count, stored_files
from tests.api.evidence_support import JPEG, PDF, PNG, fresh_database, people, seed_order, sha, wav

BOTH_BACKENDS = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database: SQLite, and PostgreSQL too where the test asks for both."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Small evidence limits, so a refusal needs no big file."""
    return Settings(
        SONGDA_STATE_DIR=tmp_path / "state",
        DATABASE_URL=database_url,
        TEMPORAL_ADDRESS="127.0.0.1:1",
        SONGDA_EVIDENCE_MAX_RECORDING_BYTES=100_000,
        SONGDA_EVIDENCE_MAX_PHOTO_BYTES=1_000,
        SONGDA_CTI_URL="http://127.0.0.1:1/cti",
    )


def upload(
    client: TestClient,
    headers: dict[str, str],
    order_id: str,
    kind: str,
    content: bytes,
    *,
    name: str = "file.bin",
    declared: str = "application/octet-stream",
    digest: str | None = None,
) -> httpx.Response:
    """Posts one file as evidence; returns the response."""
    data = {"kind": kind} | ({"sha256": digest} if digest else {})
    files = {"file": (name, content, declared)}
    answer: httpx.Response = client.post(
        f"/v1/work-orders/{order_id}/evidence", data=data, files=files, headers=headers
    )
    return answer


@BOTH_BACKENDS
def test_recording_is_stored_hashed_and_in_the_trail(
    client: TestClient, db: Session, settings: Settings
) -> None:
    users, seeded = people(db), seed_order(db)
    content = wav()
    answer = upload(
        client, users["clerk"], seeded.order_id, "recording", content,
        name="通话录音.wav", declared="audio/wav", digest=sha(content).upper(),
    )  # fmt: skip
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["sha256"] == sha(content)
    assert body["media_type"] == "audio/wav"
    assert body["bytes"] == len(content)
    assert body["filename"] == "通话录音.wav"
    assert len(stored_files(settings)) == 1
    events = db.scalars(select(TimelineEvent).where(TimelineEvent.kind == "evidence")).all()
    assert [(e.detail["sha256"], e.detail["kind"], e.detail["bytes"]) for e in events] == [
        (sha(content), "recording", len(content))
    ]
    assert events[0].task_id == seeded.task_id
    audit = db.scalars(select(AuditEntry).where(AuditEntry.action == "evidence.upload")).all()
    assert [entry.detail["sha256"] for entry in audit] == [sha(content)]
    download = client.get(body["url"], headers=users["judge"])
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["content-type"] == "audio/wav"
    assert "attachment" in download.headers["content-disposition"]
    assert db.scalar(select(AuditEntry.seq).where(AuditEntry.action == "evidence.download"))


def test_same_file_twice_is_attached_once(client: TestClient, db: Session) -> None:
    users, seeded = people(db), seed_order(db)
    first = upload(client, users["clerk"], seeded.order_id, "photo", PNG)
    again = upload(client, users["supervisor"], seeded.order_id, "photo", PNG)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert count(db, Evidence) == 1


def test_hash_mismatch_stores_nothing(client: TestClient, db: Session, settings: Settings) -> None:
    users, seeded = people(db), seed_order(db)
    answer = upload(
        client, users["clerk"], seeded.order_id, "signed_receipt", PDF, digest=sha(b"other")
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "sha256"
    assert count(db, Evidence) == 0
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("kind", "content", "declared"),
    [
        ("recording", PNG, "audio/wav"),  # the header lies: the bytes are a picture
        ("photo", wav(0.01), "image/jpeg"),
        ("video", JPEG, "video/mp4"),
        ("signed_receipt", b"just some text", "application/pdf"),
    ],
)
def test_wrong_type_stores_nothing(
    client: TestClient, db: Session, settings: Settings, kind: str, content: bytes, declared: str
) -> None:
    users, seeded = people(db), seed_order(db)
    answer = upload(client, users["clerk"], seeded.order_id, kind, content, declared=declared)
    assert answer.status_code == 422
    assert "file" in answer.json()["detail"][0]["field"]
    assert count(db, Evidence) == 0
    assert stored_files(settings) == []


def test_too_big_stores_nothing(client: TestClient, db: Session, settings: Settings) -> None:
    users, seeded = people(db), seed_order(db)
    answer = upload(client, users["clerk"], seeded.order_id, "photo", PNG + b"\x00" * 2_000)
    assert answer.status_code == 413
    assert count(db, Evidence) == 0
    assert stored_files(settings) == []


def test_unknown_kind_and_bad_hash_format_are_422(client: TestClient, db: Session) -> None:
    users, seeded = people(db), seed_order(db)
    assert upload(client, users["clerk"], seeded.order_id, "selfie", PNG).status_code == 422
    bad = upload(client, users["clerk"], seeded.order_id, "photo", PNG, digest="abc")
    assert bad.status_code == 422


def test_declared_type_is_not_trusted(client: TestClient, db: Session) -> None:
    users, seeded = people(db), seed_order(db)
    answer = upload(
        client, users["clerk"], seeded.order_id, "signed_receipt", JPEG, declared="application/pdf"
    )
    assert answer.json()["media_type"] == "image/jpeg"


READ = {
    "clerk": 200, "supervisor": 200, "judge": 200, "owner": 200,
    "ops": 403, "auditor": 403, "far_clerk": 404, "other_judge": 404, "other_system": 404,
}  # fmt: skip


@BOTH_BACKENDS
def test_who_may_list_and_download(client: TestClient, db: Session) -> None:
    users, seeded = people(db), seed_order(db)
    evidence = upload(client, users["clerk"], seeded.order_id, "photo", PNG).json()
    for name, expected in READ.items():
        listing = client.get(f"/v1/work-orders/{seeded.order_id}/evidence", headers=users[name])
        download = client.get(evidence["url"], headers=users[name])
        assert (name, listing.status_code, download.status_code) == (name, expected, expected)
        if expected == 200:
            assert [item["id"] for item in listing.json()["items"]] == [evidence["id"]]
            assert download.content == PNG
    # Every refused download is in the audit, whether refused by role or by court.
    denied = db.scalars(
        select(AuditEntry).where(
            AuditEntry.outcome == "denied",
            AuditEntry.target.in_([f"evidence:{evidence['id']}", f"GET {evidence['url']}"]),
        )
    ).all()
    refused = {"ops-zhao", "auditor-qian", "clerk-far", "judge-wu", "other-system"}
    assert {entry.actor for entry in denied} == refused


def test_only_court_staff_upload(client: TestClient, db: Session) -> None:
    users, seeded = people(db), seed_order(db)
    assert upload(client, users["judge"], seeded.order_id, "photo", PNG).status_code == 403
    assert upload(client, users["ops"], seeded.order_id, "photo", PNG).status_code == 403
    assert upload(client, users["far_clerk"], seeded.order_id, "photo", PNG).status_code == 404
    assert upload(client, users["clerk"], "no-such-order", "photo", PNG).status_code == 404
    assert count(db, Evidence) == 0


def test_altered_file_is_never_served(client: TestClient, db: Session, settings: Settings) -> None:
    users, seeded = people(db), seed_order(db)
    evidence = upload(client, users["clerk"], seeded.order_id, "photo", PNG).json()
    (stored,) = stored_files(settings)
    stored.write_bytes(PNG + b"tampered")
    answer = client.get(evidence["url"], headers=users["clerk"])
    assert answer.status_code == 500
    assert b"tampered" not in answer.content

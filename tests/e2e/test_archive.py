"""End to end: a request completes, its archive is filed, the case system and the judge hear.

The callback goes to a flaky sandbox hook (503 twice), so the retry until 2xx is exercised by
Temporal's own retry policy; the judge's SMS goes through the configured SMS path.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from domain.tables.trust import AuditEntry
from launcher import Stack
from tests.e2e.conftest import cli
from tests.e2e.support import mobile, party, request_body, request_done, sandbox_items, wait_until


def _archived(api: httpx.Client, request_id: str) -> dict[str, Any]:
    def check() -> dict[str, Any] | None:
        archive: dict[str, Any] | None = api.get(f"/v1/service-requests/{request_id}").json()[
            "archive"
        ]
        return archive

    found: dict[str, Any] = wait_until(check, 60, "the archive to be filed")
    return found


def test_completed_request_is_archived_called_back_and_judge_told(
    stack: Stack, api: httpx.Client, sandbox: httpx.Client, database_url: str, tmp_path: Path
) -> None:
    judge_phone = mobile("5")
    # A handler of its own, so no other test's requests text this judge.
    cli(stack, "user", "add", "judge-archive", "--role", "judge", "--court", "J12",
        "--phone", judge_phone)  # fmt: skip
    hook = f"flaky-{uuid.uuid4().hex[:8]}"
    served = party("P1", phones=[mobile("2")], consent=True)
    body = request_body([served])
    body["case"]["handler"] = "judge-archive"
    body["callback_url"] = f"http://127.0.0.1:{stack.settings.sandbox_port}/sandbox/hooks/{hook}"
    created = api.post("/v1/service-requests", json=body)
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    assert request_done(api, request_id)["status"] == "completed"

    archive = _archived(api, request_id)
    download = api.get(archive["url"])
    assert download.status_code == 200
    (tmp_path / "archive.zip").write_bytes(download.content)  # kept for a look after a failure
    assert hashlib.sha256(download.content).hexdigest() == archive["sha256"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        for entry in manifest["files"]:
            assert hashlib.sha256(zipped.read(entry["path"])).hexdigest() == entry["sha256"]
        names = set(zipped.namelist())
        records = b"".join(zipped.read(n) for n in names if n.endswith(".json"))
    for value in (served["phones"][0], served["id_number"], served["name"]):
        assert value.encode() not in records, "personal data in clear in the archive"
    assert {"report.pdf", "proofs/P1.pdf", "timelines/P1.json"} <= names

    def acknowledged() -> list[dict[str, Any]] | None:
        posts = sandbox_items(sandbox, "callbacks", hook)
        return posts if posts and posts[0]["answered"] == 200 else None

    posts = wait_until(acknowledged, 60, "the callback to be acknowledged")
    assert [p["answered"] for p in posts] == [200, 503, 503]
    assert all(p["valid"] for p in posts)
    assert posts[0]["body"]["archive"]["sha256"] == archive["sha256"]
    assert posts[0]["body"]["status"] == "completed"

    texts = wait_until(
        lambda: [s["text"] for s in sandbox_items(sandbox, "sms", judge_phone)], 30, "judge SMS"
    )
    assert "送达已完成，归档已生成" in texts[0]
    assert request_id in texts[0]

    engine = create_engine(database_url)
    with Session(engine) as session:
        entry = session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "archive.created", AuditEntry.request_id == request_id
            )
        )
    engine.dispose()
    assert entry is not None
    assert entry.detail["archive_sha256"] == archive["sha256"]
    assert (
        entry.detail["manifest_sha256"]
        == hashlib.sha256(
            zipfile.ZipFile(io.BytesIO(download.content)).read("manifest.json")
        ).hexdigest()
    )

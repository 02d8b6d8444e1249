"""The archive over the API: shown on the request once filed, downloaded in scope, audited."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from activities.archive import ArchiveActivities
from api.access.accounts import create_user, issue_token
from api.app import create_app
from domain.pure.archive_io import ArchiveInput
from domain.tables.trust import AuditEntry
from tests.archive.conftest import Seeded


@pytest.fixture
def client(seeded: Seeded) -> Iterator[TestClient]:
    """The API on the seeded database."""
    with TestClient(create_app(seeded.settings)) as test_client:
        yield test_client


def _headers(seeded: Seeded, name: str, role: str, court: str | None) -> dict[str, str]:
    with seeded.sessions() as session:
        user = create_user(session=session, name=name, role=role, court_code=court)
        return {"Authorization": f"Bearer {issue_token(session=session, user=user)}"}


def test_archive_appears_once_filed_and_downloads(seeded: Seeded, client: TestClient) -> None:
    judge = _headers(seeded, "judge-zhang", "judge", "J12")
    url = f"/v1/service-requests/{seeded.request_id}"
    assert client.get(url, headers=judge).json()["archive"] is None
    assert client.get(f"{url}/archive", headers=judge).status_code == 404
    filed = ArchiveActivities(seeded.sessions, seeded.store, seeded.settings).build_archive(
        ArchiveInput(seeded.request_id)
    )
    archive = client.get(url, headers=judge).json()["archive"]
    assert archive == {"url": f"{url}/archive", "sha256": filed.sha256}
    answer = client.get(archive["url"], headers=judge)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip"
    assert hashlib.sha256(answer.content).hexdigest() == filed.sha256
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    with seeded.sessions() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "archive.downloaded"))
    assert entry is not None and entry.actor == "judge-zhang"
    assert entry.request_id == seeded.request_id


def test_out_of_scope_callers_are_refused(seeded: Seeded, client: TestClient) -> None:
    ArchiveActivities(seeded.sessions, seeded.store, seeded.settings).build_archive(
        ArchiveInput(seeded.request_id)
    )
    url = f"/v1/service-requests/{seeded.request_id}/archive"
    assert client.get(url).status_code == 401
    other_court = _headers(seeded, "judge-li", "judge", "J99")
    assert client.get(url, headers=other_court).status_code == 404
    other_client = _headers(seeded, "other-system", "case_system", "J12")
    assert client.get(url, headers=other_client).status_code == 404

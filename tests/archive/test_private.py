"""Issue 13 (7): an archive is as private as the evidence it holds, over the API and the console."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from activities.archive import ArchiveActivities
from api.access.accounts import create_user, find_user, issue_token
from api.app import create_app
from domain.pure.archive_io import ArchiveInput
from domain.tables.trust import AuditEntry
from tests.archive.conftest import Seeded

PASSWORD = "correct horse 9"


@pytest.fixture
def client(seeded: Seeded) -> Iterator[TestClient]:
    """The API on the seeded database, its archive filed."""
    ArchiveActivities(seeded.sessions, seeded.store, seeded.settings).build_archive(
        ArchiveInput(seeded.request_id)
    )
    with TestClient(create_app(seeded.settings), follow_redirects=False) as test_client:
        yield test_client


def _headers(seeded: Seeded, name: str, role: str, court: str | None = "J12") -> dict[str, str]:
    with seeded.sessions() as session:
        try:
            user = find_user(session=session, name=name)
        except ValueError:
            user = create_user(
                session=session, name=name, role=role, court_code=court, password=PASSWORD
            )
        return {"Authorization": f"Bearer {issue_token(session=session, user=user)}"}


@pytest.mark.parametrize(
    ("name", "role", "court"),
    [
        ("judge-zhang", "judge", "J12"),  # the request's handler
        ("hx-case-system", "case_system", "J12"),  # the case system that submitted it
        ("clerk-li", "clerk", "J12"),
        ("boss-wang", "supervisor", "J12"),
    ],
)
def test_the_requests_people_download_the_archive(
    seeded: Seeded, client: TestClient, name: str, role: str, court: str
) -> None:
    url = f"/v1/service-requests/{seeded.request_id}/archive"
    answer = client.get(url, headers=_headers(seeded, name, role, court))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip"


def test_another_judge_of_the_court_is_refused_and_audited(
    seeded: Seeded, client: TestClient
) -> None:
    url = f"/v1/service-requests/{seeded.request_id}/archive"
    other_judge = _headers(seeded, "judge-li", "judge")
    assert client.get(f"/v1/service-requests/{seeded.request_id}", headers=other_judge).is_success
    answer = client.get(url, headers=other_judge)
    assert answer.status_code == 403
    assert not answer.content.startswith(b"PK")
    login = client.post("/console/login", data={"name": "judge-li", "password": PASSWORD})
    assert login.status_code == 303
    page = client.get(f"/console/judge/requests/{seeded.request_id}/archive")
    assert page.status_code == 403 and not page.content.startswith(b"PK")
    with seeded.sessions() as session:
        query = select(AuditEntry).where(AuditEntry.action == "archive.downloaded")
        entries = list(session.scalars(query))
    assert [(e.actor, e.outcome) for e in entries] == [("judge-li", "denied")] * 2

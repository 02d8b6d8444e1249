"""The judge's pages: submitting from the form, refusals next to fields, my cases, the request."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.access.accounts import create_user
from domain.store.documents import DocumentStore
from domain.tables.core import Party, ServiceRequest, ServiceTask
from domain.tables.people import Evidence
from tests.api.test_work_orders import seed_order
from tests.console.conftest import PASSWORD, login

PDF = b"%PDF-1.4 summons for the console"


def _form(csrf: str, **overrides: str) -> dict[str, str]:
    form = {
        "csrf_token": csrf,
        "external_id": "console-test-1",
        "party_count": "1",
        "case_number": "(2026)津0103民初1234号",
        "cause": "民间借贷纠纷",
        "procedure": "simplified",
        "doc-0-kind": "summons",
        "doc-0-title": "传票",
        "parties-0-name": "张三",
        "parties-0-kind": "person",
        "parties-0-role": "defendant",
        "parties-0-identity": "110101200001011232",
        "parties-0-phones": "13800000010",
        "parties-0-address": "天津市河西区友谊路1号",
        "parties-0-postcode": "300000",
    }
    form.update(overrides)
    return form


def _files() -> dict[str, tuple[str, bytes, str]]:
    return {"doc-0-file": ("summons.pdf", PDF, "application/pdf")}


def test_judge_submits_a_request_from_the_form(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    csrf = login(app_client, "judge-zhang")
    answer = app_client.post("/console/judge/new", data=_form(csrf), files=_files())
    assert answer.status_code == 303, answer.text
    row = db.scalars(select(ServiceRequest)).one()
    assert row.case_number == "（2026）津0103民初1234号"
    assert row.handler == "judge-zhang" and row.court_code == "J12"
    party = db.scalars(select(Party)).one()
    assert party.phones == ["13800000010"] and party.consent_electronic is False
    page = app_client.get(answer.headers["location"])
    assert page.status_code == 200
    assert "张三" in page.text and "1101**********1232" in page.text
    assert "110101200001011232" not in page.text
    cases = app_client.get("/console/judge/cases")
    assert row.case_number in cases.text


def test_refusals_show_next_to_the_field_in_chinese(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    csrf = login(app_client, "judge-zhang")
    form = _form(csrf, **{"parties-0-identity": "110101200001011230", "case_number": "bad"})
    answer = app_client.post("/console/judge/new", data=form, files=_files())
    assert answer.status_code == 422
    assert 'id="parties-0-identity-error"' in answer.text
    assert "身份证号码无效" in answer.text
    assert 'id="case_number-error"' in answer.text
    assert db.scalars(select(ServiceRequest)).first() is None


def test_missing_document_is_refused(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    csrf = login(app_client, "judge-zhang")
    answer = app_client.post("/console/judge/new", data=_form(csrf))
    assert answer.status_code == 422
    assert "请至少上传一份文书" in answer.text


def test_form_without_csrf_is_refused(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    login(app_client, "judge-zhang")
    form = _form("")
    del form["csrf_token"]
    answer = app_client.post("/console/judge/new", data=form, files=_files())
    assert answer.status_code == 403
    assert db.scalars(select(ServiceRequest)).first() is None


def test_clerk_cannot_open_judge_pages(app_client: TestClient, users: dict[str, str]) -> None:
    login(app_client, "clerk-li")
    for path in ("/console/judge/new", "/console/judge/cases"):
        answer = app_client.get(path)
        assert answer.status_code == 403
        assert "无权访问" in answer.text


def test_two_parties_without_javascript_numbering(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    csrf = login(app_client, "judge-zhang")
    form = _form(csrf, party_count="2", external_id="console-two")
    form["parties-1-name"] = "某某有限公司"
    form["parties-1-kind"] = "organization"
    form["parties-1-identity"] = "91110105MA01ABCD5F"
    form["parties-1-address"] = "天津市河西区解放南路2号"
    answer = app_client.post("/console/judge/new", data=form, files=_files())
    assert answer.status_code == 303, answer.text
    parties = db.scalars(select(Party).order_by(Party.position)).all()
    assert [(p.ref, p.kind) for p in parties] == [("P1", "person"), ("P2", "organization")]
    assert parties[1].credit_code == "91110105MA01ABCD5F"
    again = app_client.post("/console/judge/new", data=form, files=_files())
    assert again.status_code == 303  # the same form twice: one request
    assert len(db.scalars(select(ServiceRequest)).all()) == 1


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_the_judge_of_the_request_downloads_its_evidence(
    app_client: TestClient, users: dict[str, str], db: Session
) -> None:
    order = seed_order(db)
    task = db.get_one(ServiceTask, order.task_id)
    db.get_one(ServiceRequest, task.request_id).handler = "judge-zhang"
    store = DocumentStore(app_client.app.state.settings.document_dir)  # type: ignore[attr-defined]
    evidence = Evidence(
        work_order_id=order.id, task_id=task.id, kind="photo", media_type="image/png",
        sha256=store.put(PNG), bytes=len(PNG), filename="door.png",
    )  # fmt: skip
    db.add(evidence)
    db.commit()
    login(app_client, "judge-zhang")
    page = app_client.get(f"/console/judge/requests/{task.request_id}")
    assert page.status_code == 200 and "door.png" in page.text
    download = app_client.get(f"/console/judge/evidence/{evidence.id}")
    assert download.status_code == 200 and download.content == PNG
    app_client.cookies.clear()  # another judge of the same court, not this request's
    create_user(session=db, name="judge-other", role="judge", court_code="J12", password=PASSWORD)
    login(app_client, "judge-other")
    refused = app_client.get(f"/console/judge/evidence/{evidence.id}")
    assert refused.status_code in (403, 404) and refused.content != PNG

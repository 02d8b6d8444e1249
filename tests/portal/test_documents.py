"""Documents behind the session: view and download receipts, integrity, confirming once."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.portal.routes_documents import safe_filename
from api.portal.settings import portal_settings_of
from domain.settings import Settings
from tests.portal.conftest import CLIENT_ADDRESS
from tests.portal.support import ID_NUMBER, NAME, PDF, Published, kinds, receipts


def signed_in(portal: TestClient, published: Published) -> None:
    """Passes the identity check for the published link."""
    answer = portal.post(
        f"/s/{published.token}/identity", data={"name": NAME, "id_tail": ID_NUMBER[-4:]}
    )
    assert answer.status_code == 303


def test_documents_page_lists_view_download_and_confirm(
    portal: TestClient, published: Published
) -> None:
    signed_in(portal, published)
    page = portal.get(f"/s/{published.token}/documents")
    assert page.status_code == 200
    base = f"/s/{published.token}/documents/{published.document_sha256}"
    assert f'href="{base}/view"' in page.text and f'href="{base}/download"' in page.text
    assert "确认签收" in page.text and f'action="/s/{published.token}/confirm"' in page.text


def test_view_and_download_are_receipts_with_hash_and_user_agent(
    portal: TestClient, db: Session, published: Published
) -> None:
    signed_in(portal, published)
    base = f"/s/{published.token}/documents/{published.document_sha256}"
    viewed = portal.get(f"{base}/view")
    assert viewed.status_code == 200 and viewed.content == PDF
    assert viewed.headers["content-type"] == "application/pdf"
    assert viewed.headers["content-disposition"].startswith("inline;")
    assert "sandbox" in viewed.headers["content-security-policy"]
    downloaded = portal.get(f"{base}/download")
    assert downloaded.content == PDF
    disposition = downloaded.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E4%BC%A0%E7%A5%A8.pdf" in disposition
    assert f'filename="document-{published.document_sha256[:12]}.pdf"' in disposition
    acts = receipts(db, published.publication_id)[1:]
    assert [r.kind for r in acts] == ["viewed", "downloaded"]
    for receipt in acts:
        assert receipt.document_sha256 == published.document_sha256
        assert receipt.user_agent == "PortalTest/1.0 (Android)"
        assert receipt.client_address == CLIENT_ADDRESS
        assert receipt.at is not None


def test_unknown_document_is_404(portal: TestClient, published: Published) -> None:
    signed_in(portal, published)
    answer = portal.get(f"/s/{published.token}/documents/{'0' * 64}/view")
    assert answer.status_code == 404


def test_an_altered_file_is_refused(
    portal: TestClient, db: Session, settings: Settings, published: Published
) -> None:
    signed_in(portal, published)
    sha = published.document_sha256
    # The portal serves its own copy (its own store, under its own key).
    path = portal_settings_of(settings).document_dir / sha[:2] / sha[2:4] / sha
    path.write_bytes(b"%PDF-1.4 tampered")
    answer = portal.get(f"/s/{published.token}/documents/{sha}/view")
    assert answer.status_code == 503
    assert "文书暂时无法查阅" in answer.text
    assert "viewed" not in kinds(db, published.publication_id)


def test_confirm_once_and_show_the_same_page_again(
    portal: TestClient, db: Session, published: Published
) -> None:
    signed_in(portal, published)
    first = portal.post(f"/s/{published.token}/confirm")
    assert first.status_code == 200
    assert "已确认签收" in first.text and "（北京时间）" in first.text
    again = portal.post(f"/s/{published.token}/confirm")
    assert again.status_code == 200
    when = first.text.split("<strong>")[1].split("</strong>")[0]
    assert f"<strong>{when}</strong>" in again.text
    assert kinds(db, published.publication_id).count("confirmed") == 1
    listed = portal.get(f"/s/{published.token}/documents")
    assert f"您已于 {when}（北京时间）确认签收" in listed.text
    assert 'action="/s/' not in listed.text


def test_safe_filename() -> None:
    assert safe_filename("传票", "application/pdf") == "传票.pdf"
    assert safe_filename("../../etc/passwd", "text/plain") == "etc_passwd.txt"
    assert safe_filename('a"b\r\nc', "application/x-unknown") == "a_b_c.bin"
    assert safe_filename("", "application/pdf") == "文书.pdf"

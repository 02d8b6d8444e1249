"""The sandbox's simulated recipient opens delivered links in the real portal, as a person."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session

from api.portal.app import create_portal_app
from domain.settings import Settings
from domain.store.documents import DocumentStore
from sandbox import world
from sandbox.recipient import LINK, simulated_address
from tests.portal.conftest import portal_settings
from tests.portal.support import kinds, publish_attempt, receipts
from tests.sandbox.support import ServerThread, free_port

SPD = 0.5  # seconds per legal day: delivered after 10 ms, visited about 10 ms later


@pytest.fixture
def settings(tmp_path: Path, gateway_url: str) -> Settings:
    """Settings whose links point at a real portal on a free port."""
    port = free_port()
    base = portal_settings(tmp_path, gateway_url)
    return base.model_copy(update={"portal_port": port})


@pytest.fixture
def live_portal(settings: Settings, engine: object) -> Iterator[str]:
    """The portal served by uvicorn, as the recipient reaches it."""
    server = ServerThread(create_portal_app(settings), settings.portal_port).start()
    yield server.url
    server.stop()


async def send(gateway_url: str, channel: str, to: str, text: str, flash: bool = False) -> None:
    """Sends a message through the sandbox's HTTP gateway."""
    body: dict[str, object] = {"to": to, "text": text, "reference": f"ref-{to}-{flash}"}
    body["seconds_per_day"] = SPD
    if channel == "sms":
        body["flash"] = flash
    else:
        body["subject"] = "送达通知"
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        answer = await http.post(f"/gateway/{channel}", json=body)
        assert answer.status_code == 200, answer.text


async def until(check: Callable[[], bool], timeout: float = 15.0) -> None:
    """Waits until check() is true."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_ordinary_number_opens_checks_identity_views_and_confirms(
    db: Session, settings: Settings, store: DocumentStore, gateway_url: str, live_portal: str
) -> None:
    published = publish_attempt(db, settings, store, target="13800001232")
    text = f"【法院】请点击 {live_portal}/s/{published.token} 查阅签收。核实请拨12368。"
    await send(gateway_url, "sms", "13800001232", text)
    await until(lambda: "confirmed" in kinds(db, published.publication_id))
    seen = kinds(db, published.publication_id)
    assert seen[:2] == ["opened", "code_sent"]
    assert seen.index("identity_passed") < seen.index("viewed") < seen.index("confirmed")
    assert "identity_failed" not in seen
    viewed = [r for r in receipts(db, published.publication_id) if r.kind == "viewed"]
    assert viewed[0].document_sha256 == published.document_sha256
    assert "songda sandbox recipient" in str(viewed[0].user_agent)
    assert viewed[0].client_address == simulated_address("13800001232")


async def test_email_recipient_uses_a_code_sent_by_email(
    db: Session, settings: Settings, store: DocumentStore, gateway_url: str, live_portal: str
) -> None:
    to = "reader@example.com"
    published = publish_attempt(db, settings, store, channel="email", target=to)
    await send(
        gateway_url, "email", to, f"请通过以下链接查阅并签收：{live_portal}/s/{published.token}\n"
    )
    await until(lambda: "confirmed" in kinds(db, published.publication_id))


async def test_unopened_numbers_and_flash_sms_are_never_visited(
    db: Session, settings: Settings, store: DocumentStore, gateway_url: str, live_portal: str
) -> None:
    unopened = publish_attempt(db, settings, store, target="13800001231")
    flash = publish_attempt(db, settings, store, target="13800001233")
    await send(gateway_url, "sms", "13800001231", f"{live_portal}/s/{unopened.token}")
    await send(gateway_url, "sms", "13800001233", f"{live_portal}/s/{flash.token}", flash=True)
    await asyncio.sleep(0.5)
    assert kinds(db, unopened.publication_id) == []
    assert kinds(db, flash.publication_id) == []


def test_who_opens_links() -> None:
    assert world.opens_links("sms", "13800000002")
    assert not world.opens_links("sms", "13800000002", flash=True)
    for dead_unopened_or_down in ("13800000000", "13800000001", "13800000009"):
        assert not world.opens_links("sms", dead_unopened_or_down)
    assert world.opens_links("email", "zhang@example.com")
    assert not world.opens_links("email", "Bounce.li@example.com")


def test_links_are_found_in_sms_and_email_texts() -> None:
    token = "A" * 31 + "_"
    sms = f"…请点击 https://portal.example/s/{token} 查阅签收。"
    mail = f"请通过以下链接查阅并签收：http://127.0.0.1:8001/s/{token}\n\n"
    found_in_sms, found_in_mail = LINK.search(sms), LINK.search(mail)
    assert found_in_sms is not None and found_in_sms.group(2) == token
    assert found_in_mail is not None and found_in_mail.group(1) == "http://127.0.0.1:8001"
    assert LINK.search("【法院】验证码 123456，10分钟内有效。") is None

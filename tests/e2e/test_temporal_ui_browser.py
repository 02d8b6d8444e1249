"""The Temporal UI reads out of the box: decoded payloads and Chinese summaries, no banner.

A stack as `make run` starts it (development, the dev server's UI pointed at the API's codec
endpoint); one party is served electronically; Chromium opens its workflow page in the UI.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

from domain.pure.names import party_workflow_id
from launcher import Stack
from tests.e2e.support import local_settings
from tests.e2e.test_console_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
UI_SHOT = ROOT / "docs" / "temporal-ui-party.png"
BANNER = "Codec Server could not connect"


@pytest.fixture(scope="module")
def ui_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A SQLite stack with the Temporal UI and its codec endpoint, in development."""
    settings = local_settings(None, tmp_path_factory.mktemp("ui-state"))
    codec = f"{settings.effective_api_url.rstrip('/')}/codec"
    stack = Stack(settings, codec_endpoint=codec)
    stack.env["SONGDA_ENV"] = "development"
    try:
        stack.migrate()
        stack.run_cli("bootstrap-demo")
        stack.start(timeout=90, migrate=False)
    except Exception:
        stack.stop()
        raise
    yield stack
    stack.stop()


def _serve_one_party(stack: Stack) -> str:
    body = json.loads((ROOT / "examples" / "request.json").read_text(encoding="utf-8"))
    body["external_id"] = f"UI-{uuid.uuid4().hex[:8]}"
    body["parties"] = body["parties"][:1]  # P1 consented at a live number: served at once
    token = stack.settings.token_file.read_text().strip()
    base = stack.settings.effective_api_url.rstrip("/")
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as api:
        created = api.post("/v1/service-requests", json=body)
        assert created.status_code == 201, created.text
        request_id: str = created.json()["id"]
        for _ in range(120):
            if api.get(f"/v1/service-requests/{request_id}").json()["status"] == "completed":
                break
            time.sleep(1)
    return request_id


def test_a_party_reads_decoded_with_chinese_summaries(ui_stack: Stack) -> None:
    request_id = _serve_one_party(ui_stack)
    workflow_id = party_workflow_id(request_id, "P1")
    ui = f"http://127.0.0.1:{ui_stack.settings.temporal_ui_port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page.goto(f"{ui}/namespaces/default/workflows/{workflow_id}")
        expect(page.get_by_text('"party_ref": "P1"').first).to_be_visible(timeout=30_000)
        expect(page.get_by_text("电子送达 · 短信至 138****0002").first).to_be_visible()
        assert BANNER not in page.inner_text("body")
        page.screenshot(path=str(UI_SHOT))
        browser.close()

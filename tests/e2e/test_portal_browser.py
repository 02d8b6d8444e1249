"""A person in a real (headless) Chromium signs for documents in the recipient portal."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from launcher import Stack
from tests.e2e.support import (
    mobile,
    party,
    request_body,
    sandbox_items,
    tasks_by_ref,
    wait_until,
)

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = ROOT / "docs" / "portal-documents.png"
PHONE_VIEWPORT = {"width": 390, "height": 844}
# The electronic rung waits 3 legal days: at 20 s a day a person has a minute to sign.
SECONDS_PER_DAY = 20.0
LINK = re.compile(r"https?://\S+?/s/[A-Za-z0-9_-]{32}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, driven by Playwright."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh phone-sized browser profile (no cookies) per test."""
    profile = browser.new_context(viewport=PHONE_VIEWPORT, locale="zh-CN")
    yield profile
    profile.close()


def submit_unopened_person(api: httpx.Client, ref: str) -> tuple[str, dict[str, Any]]:
    """Submits a request for a person whose number is delivered but never opened (ends in 1)."""
    person = party(ref, phones=[mobile("1")], consent=False)
    created = api.post(
        "/v1/service-requests", json=request_body([person], seconds_per_day=SECONDS_PER_DAY)
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"]), person


def service_link(sandbox: httpx.Client, number: str) -> str:
    """Waits for the service SMS to the number and returns its portal link."""

    def find() -> str | None:
        for sms in sandbox_items(sandbox, "sms", number):
            found = LINK.search(str(sms["text"]))
            if found is not None:
                return found.group(0)
        return None

    link: str = wait_until(find, 60, "the service SMS with its portal link")
    return link


def test_person_signs_for_documents_in_a_browser(
    api: httpx.Client, sandbox: httpx.Client, stack: Stack, context: BrowserContext
) -> None:
    request_id, person = submit_unopened_person(api, "B1")
    link = service_link(sandbox, person["phones"][0])
    assert link.startswith(stack.settings.effective_portal_url)
    page: Page = context.new_page()
    page.goto(link)
    expect(page.get_by_role("heading", name="查阅送达文书")).to_be_visible()
    expect(page.get_by_text("（2026）津0103民初1234号")).to_be_visible()
    # By keyboard only: the form is labelled and reachable with Tab.
    page.get_by_label("姓名").focus()
    page.keyboard.type(person["name"])
    page.keyboard.press("Tab")
    page.keyboard.type(person["id_number"][-4:])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/documents$"))
    expect(page.get_by_role("heading", name="《传票》")).to_be_visible()
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    documents = page.url
    with page.expect_response(re.compile(r"/view$")) as viewed:
        page.get_by_role("link", name=re.compile("^查看")).first.click()
    assert viewed.value.status == 200
    assert viewed.value.headers["content-type"] == "application/pdf"
    page.goto(documents)
    page.get_by_role("button", name="确认签收").click()
    expect(page.get_by_role("heading", name="已确认签收")).to_be_visible()
    expect(page.get_by_text("（北京时间）").first).to_be_visible()

    def served() -> dict[str, Any] | None:
        body = api.get(f"/v1/service-requests/{request_id}").json()
        task: dict[str, Any] = tasks_by_ref(body)["B1"]
        return task if task["status"] == "served" else None

    task = wait_until(served, 60, "the party to be served through the portal")
    assert task["method"] == "electronic"


def test_five_wrong_answers_lock_the_link(
    api: httpx.Client, sandbox: httpx.Client, context: BrowserContext
) -> None:
    request_id, person = submit_unopened_person(api, "L1")
    link = service_link(sandbox, person["phones"][0])
    page = context.new_page()
    page.goto(link)
    statuses = []
    for _ in range(5):
        page.get_by_label("姓名").fill("王五")
        page.get_by_label("身份证号码后4位").fill(person["id_number"][-4:])
        with page.expect_response(re.compile(r"/identity$")) as answered:
            page.get_by_role("button", name="核验并查看文书").click()
        statuses.append(answered.value.status)
        page.wait_for_load_state()
    assert statuses == [403, 403, 403, 403, 423]
    expect(page.get_by_role("heading", name="链接已暂时锁定")).to_be_visible()
    expect(page.get_by_text("12368").first).to_be_visible()
    page.goto(link)
    expect(page.get_by_role("heading", name="链接已暂时锁定")).to_be_visible()
    api.post(f"/v1/service-requests/{request_id}/cancel")

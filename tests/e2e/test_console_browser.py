"""A judge and a clerk do their work in the console, in a real (headless) Chromium.

The judge submits a request with a PDF for a person whose only number is dead (ends in 0) and
who gave no consent, so the electronic step fails and a phone work order opens; the clerk
takes it, records "address confirmed" with a new address, and the judge sees the party served
by mail at that address.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from api.access.accounts import ensure_court
from domain.store.db import make_engine, make_session_factory
from launcher import Stack
from tests.e2e.support import id_number, mobile, sandbox_items

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]  # fmt: skip
LAPTOP = {"width": 1280, "height": 900}
PASSWORD = "console-pass-2026"
# The phone rung waits 3 legal days and mail is signed for after 2: at 20 s a legal day the
# clerk has about a minute, and the whole run takes a few.
SECONDS_PER_DAY = "20"
# Another district than the old address: the masked label in the timeline names one address.
NEW_ADDRESS = "天津市和平区新址路8号"
TIMELINE_SHOT = ROOT / "docs" / "console-judge-timeline.png"
CALL_SHOT = ROOT / "docs" / "console-clerk-call.png"


# Three Latin words in a row is a sentence; codes (mail_signed), hashes and file names are not.
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'()-]+[A-Za-z]{2,}){2,}")


def assert_chinese(page: Page) -> None:
    """Fails on any English sentence the page shows its Chinese reader."""
    found = ENGLISH_SENTENCE.findall(page.locator("main").inner_text())
    assert found == [], f"English on {page.url}: {found[:5]}"


def add_user(stack: Stack, name: str, role: str) -> None:
    """Creates a console user of court J12 with PASSWORD (through the CLI, from stdin)."""
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "user", "add", name, "--role", role,
         "--court", "J12", "--password-stdin"],
        env=stack.env, cwd=ROOT, input=PASSWORD + "\n", capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def ensure_demo_court(stack: Stack) -> None:
    """Names court J12 (a judge's first request would otherwise create it under its code)."""
    engine = make_engine(stack.settings.effective_database_url)
    try:
        with make_session_factory(engine)() as session:
            ensure_court(session=session, code="J12", name="天津市河西区人民法院")
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, driven by Playwright."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def login(browser: Browser, stack: Stack, name: str) -> Page:
    """Opens a fresh profile and logs in by keyboard."""
    context: BrowserContext = browser.new_context(viewport=LAPTOP, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{stack.settings.effective_api_url}/console/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    return page


def submit_as_judge(page: Page, case_number: str, number: str) -> None:
    """Fills the submission form with one person and the example summons PDF."""
    page.goto(page.url.split("/console/")[0] + "/console/judge/new")
    # The small "add party" script: a second, renumbered fieldset; a reload starts over.
    page.get_by_role("button", name="添加当事人").click()
    expect(page.locator("fieldset.party")).to_have_count(2)
    expect(page.locator("#parties-1-name")).to_be_focused()
    page.reload()
    page.get_by_label("案号").fill(case_number)
    page.get_by_label("案由").fill("民间借贷纠纷")
    page.get_by_label("程序").select_option("ordinary")
    page.get_by_label("演示时钟").fill(SECONDS_PER_DAY)
    page.get_by_label("文书标题 1").fill("传票")
    page.get_by_label("文件 1").set_input_files(str(ROOT / "examples" / "summons.pdf"))
    page.get_by_label("姓名或名称").fill("张浏览")
    page.get_by_label("身份证号").fill(id_number("19900307"))
    page.get_by_label(re.compile("^手机号码")).fill(number)
    page.get_by_label("送达地址", exact=True).fill("天津市河西区旧址路3号")
    page.get_by_label("邮编").fill("300000")
    page.get_by_role("button", name="提交送达").click()
    page.wait_for_url(re.compile(r"/console/judge/requests/\w+"))
    expect(page.get_by_text("送达请求已提交")).to_be_visible()


def take_phone_order(page: Page, case_number: str) -> None:
    """Waits in the queue for the order of the case, and claims it."""
    row = page.get_by_role("row").filter(has_text=case_number)
    for _ in range(120):
        page.goto(page.url.split("/console/")[0] + "/console/clerk/queue")
        if row.count():
            break
        page.wait_for_timeout(1000)
    row.get_by_role("button", name=re.compile("^领取")).click()
    expect(page.get_by_text("已领取工单")).to_be_visible()


def test_judge_and_clerk_work_in_the_console(
    stack: Stack, browser: Browser, sandbox: httpx.Client
) -> None:
    ensure_demo_court(stack)
    add_user(stack, "judge-console", "judge")
    add_user(stack, "clerk-console", "clerk")
    case_number = f"(2026)津0103民初{random.randint(5000, 9999)}号"
    full_case = case_number.replace("(", "（").replace(")", "）")
    number = mobile("0")
    judge = login(browser, stack, "judge-console")
    submit_as_judge(judge, case_number, number)
    request_url = judge.url.split("?")[0]

    clerk = login(browser, stack, "clerk-console")
    take_phone_order(clerk, full_case)
    expect(clerk.get_by_text(number)).to_be_visible()  # the number to call, in full
    assert_chinese(clerk)
    clerk.get_by_role("button", name=f"呼叫 {number}").click()  # click-to-call (sandbox CTI)
    expect(clerk.get_by_text("正在呼叫")).to_be_visible()
    assert_chinese(clerk)
    clerk.screenshot(path=str(CALL_SHOT), full_page=True)
    clerk.get_by_label("结果", exact=True).select_option("reached_address_confirmed")
    clerk.get_by_label("确认的送达地址").fill(NEW_ADDRESS)
    clerk.get_by_label("邮编").fill("300201")
    clerk.get_by_label("备注").fill("本人电话确认新地址")
    clerk.get_by_role("button", name="提交结果").click()
    expect(clerk.get_by_text("已提交结果")).to_be_visible()

    party = judge.locator("section.party-status")
    for _ in range(180):
        judge.goto(request_url)
        if party.locator(".method").inner_text().strip() == "邮寄送达":
            break
        judge.wait_for_timeout(1000)
    expect(party.locator(".method")).to_have_text("邮寄送达")
    expect(party.get_by_text("已送达").first).to_be_visible()
    expect(party.locator(".addresses")).to_contain_text(NEW_ADDRESS)
    expect(party.locator("ol.timeline li.plan")).to_have_count(1)
    expect(party.locator("ol.timeline")).to_contain_text("邮寄送达")
    expect(party.locator("ol.timeline")).to_contain_text(NEW_ADDRESS)
    expect(party.locator("ol.timeline li.work_order")).to_contain_text("已联系，确认送达地址")
    assert len(sandbox_items(sandbox, "post", NEW_ADDRESS)) == 1
    archive = judge.get_by_role("link", name="下载归档（ZIP）")
    for _ in range(60):
        if archive.count():
            break
        judge.wait_for_timeout(1000)
        judge.goto(request_url)
    judge.screenshot(path=str(TIMELINE_SHOT), full_page=True)
    assert_chinese(judge)
    with judge.expect_download() as download:
        archive.click()
    assert download.value.suggested_filename.endswith(".zip")
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    for path in ("/console/judge/cases", "/console/clerk/queue"):
        viewer = judge if "judge" in path else clerk
        viewer.goto(request_url.split("/console/")[0] + path)
        assert_chinese(viewer)

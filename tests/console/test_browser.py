"""End to end in headless Chromium (Debian's ``chromium``), driven by Playwright.

The app runs in a real uvicorn server on a free port against a database of its
own with committed data. Screenshots of the main pages go to
``test-artifacts/console/``. Without Chromium or Playwright the tests skip and
say why (the test setup installs both: ``apt-get install -y chromium``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from api.console import install_console
from entities.masking import mask
from mdr.db.engine import Database, session_factory, unit_of_work
from mdr.settings import Settings
from tests.console.seed import PASSWORD, add_check_runs, add_item, add_user
from tests.helpers import live_server, migrated_engine

pytestmark = [pytest.mark.db, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "console"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)")
if not (CHROMIUM.exists() or shutil.which("chromium")):
    pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def live_console(scratch_database, tmp_path_factory) -> Iterator[dict[str, Any]]:
    url = scratch_database("console")
    engine = migrated_engine(url, pool_size=2)
    with unit_of_work(session_factory(engine)) as session:
        add_user(session, "steward1", "steward")
        add_user(session, "inspector1", "inspector")
        item = add_item(session)
        add_check_runs(session, item["resident"]["rrn"])
    engine.dispose()
    settings = Settings(data_dir=tmp_path_factory.mktemp("console") / "data",
                        secret_key="console-test-secret-of-32-characters", log_level="WARNING")
    app = create_app(settings, Database(url, embedded=False))
    install_console(app)
    with live_server(app) as base:
        yield {"base": base, "item": item}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
            args=ARGS, headless=True)
        yield chromium
        chromium.close()


def _sign_in(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base + "/console/login")
    page.get_by_label("사용자 이름 · User name").fill(username)
    page.get_by_label("비밀번호 · Password").fill(password)
    page.get_by_role("button", name="로그인 · Sign in").click()


UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(e => e.type !== 'hidden' && !e.labels?.length && !e.getAttribute('aria-label'))
  .map(e => e.name || e.id)"""


def _tab_to(page: Any, element_id: str, presses: int = 6) -> None:
    """Press Tab until the element has the focus (the page may still be settling)."""
    for _ in range(presses):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement && document.activeElement.id") == element_id


def _all_labelled(page: Any) -> None:
    assert page.evaluate(UNLABELLED) == [], f"unlabelled controls on {page.url}"


def test_steward_resolves_an_item_and_sees_the_flag(live_console, browser) -> None:
    base, item = live_console["base"], live_console["item"]
    resident = item["resident"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _sign_in(page, base, "steward1", "not the password")
        assert page.locator("p.error").inner_text().endswith("Wrong user name or password.")
        page.screenshot(path=str(ARTIFACTS / "login-refused.png"), full_page=True)
        _all_labelled(page)
        _sign_in(page, base, "steward1")
        page.get_by_role("link", name="작업함 · Inbox").first.click()
        page.wait_for_url("**/console/inbox")
        assert "match_with_differences: 1" in page.locator("#counts").inner_text()
        table = page.locator("#items").inner_text()
        assert mask(resident["rrn"]) in table and resident["rrn"] not in table
        page.screenshot(path=str(ARTIFACTS / "inbox.png"), full_page=True)
        _all_labelled(page)

        page.get_by_role("link", name=f"#{item['item_id']}").click()
        assert page.locator("tr.differs").count() == 1
        assert page.locator("#evidence-chart svg rect").count() == 3
        page.screenshot(path=str(ARTIFACTS / "item.png"), full_page=True)
        _all_labelled(page)
        page.get_by_label("master_wrong").check()
        page.get_by_label("사유 · Reason").fill("family court record shows the new name")
        page.get_by_role("button", name="기록 · Record the decision").click()
        page.locator("p.notice").wait_for()  # the answer page, not the form still showing
        assert page.locator("p.notice").is_visible()
        assert page.locator("#item-status").inner_text() == "resolved"

        page.locator("#record-link").click()
        flags = page.locator("#flags").inner_text()
        assert "under investigation" in flags and "family court record" in flags
        body = page.locator("main").inner_text()  # the record the steward opened: unmasked
        assert resident["rrn"] in body and resident["name"] in body
        page.screenshot(path=str(ARTIFACTS / "record.png"), full_page=True)

        # a form whose CSRF token was tampered with is refused
        page.evaluate("document.querySelectorAll('input[name=csrf_token]')"
                      ".forEach(i => i.value = 'forged')")
        page.get_by_role("button", name="로그아웃 · Sign out").click()
        page.get_by_text("CSRF check failed").first.wait_for()  # the answer page
        assert "CSRF check failed" in page.locator("main").inner_text()
        page.goto(base + "/console/")
        assert page.url.endswith("/console/")  # still signed in: the forged sign-out failed
        page.goto(base + "/console/quality")
        assert "Not allowed" in page.locator("h1").inner_text()
    finally:
        context.close()


def test_inspector_dashboard_by_keyboard(live_console, browser) -> None:
    base = live_console["base"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(base + "/console/login")
        _tab_to(page, "username")  # past the skip link, by keyboard only
        page.keyboard.type("inspector1")
        _tab_to(page, "password")
        page.keyboard.type(PASSWORD)
        assert page.input_value("#password") == PASSWORD
        page.keyboard.press("Enter")
        page.wait_for_url("**/console/", timeout=60_000)
        page.goto(base + "/console/quality")
        assert page.locator("#national-chart svg").count() == 1
        assert page.locator("svg.chart").count() >= 3
        assert page.locator("svg.chart circle, svg.chart path, svg.chart polyline").count() > 0
        page.screenshot(path=str(ARTIFACTS / "quality.png"), full_page=True)
        page.goto(base + "/console/records?dataset=resident")
        _all_labelled(page)
        page.screenshot(path=str(ARTIFACTS / "records.png"), full_page=True)
        page.goto(base + "/console/quality")
        page.get_by_role("link", name="주민 · Resident").click()
        rules = page.locator("#rules").inner_text()
        rrn = live_console["item"]["resident"]["rrn"]
        assert mask(rrn) in rules and rrn not in rules
        page.screenshot(path=str(ARTIFACTS / "quality-resident.png"), full_page=True)
        with page.expect_download() as download:
            page.goto(base + "/console/quality")
            page.get_by_role("link", name="점검 보고서 내려받기").click()
        assert download.value.suggested_filename.startswith("mdr-quality-report-")
        page.goto(base + "/console/inbox")
        assert "Not allowed" in page.locator("h1").inner_text()
    finally:
        context.close()

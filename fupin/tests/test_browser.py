"""The main journey in a real browser: log in, see the Chinese home page, switch to English, use it on
a 375-px phone screen, log out; and no request leaves the server."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from fupin.accounts.roles import Role
from fupin.test import PASSWORD, TOWNSHIP_A, load_fixture_regions, make_user

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
]
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def operator(transactional_db):
    load_fixture_regions()
    return make_user("liming", Role.TOWNSHIP_OPERATOR, TOWNSHIP_A, full_name="李明")


def open_page(browser, live_server, **context):
    page = browser.new_context(**context).new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    return page, hosts


def log_in(page, live_server):
    page.goto(live_server.url)
    page.fill("input[name=username]", "liming")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_log_in_see_chinese_switch_to_english_and_log_out(browser, live_server, operator):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page, hosts = open_page(browser, live_server, viewport={"width": 1280, "height": 800})
    log_in(page, live_server)
    expect(page.locator("h1")).to_have_text("河南省驻马店市平舆县杨埠镇")
    expect(page.locator("#sidebar")).to_contain_text("行政区划")
    page.screenshot(path=SCREENSHOTS / "home-zh.png", full_page=True)

    page.select_option("[data-testid=language]", "en")
    expect(page.locator("#sidebar")).to_contain_text("Regions")
    expect(page).to_have_title("Home · Targeted Poverty Alleviation Information System")

    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    expect(page.locator(".alert")).to_contain_text("You have logged out.")
    assert urlsplit(page.url).path == "/accounts/login/"
    assert hosts == {urlsplit(live_server.url).hostname}


def test_it_works_on_a_phone(browser, live_server, operator):
    page, hosts = open_page(
        browser, live_server, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    log_in(page, live_server)
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    menu = page.locator("#sidebar")
    expect(menu.get_by_text("行政区划")).to_be_hidden()
    page.click("[aria-controls=sidebar]")
    menu.get_by_text("行政区划").click()
    expect(page.locator("h1")).to_contain_text("杨埠镇")
    page.screenshot(path=SCREENSHOTS / "region-phone.png", full_page=True)
    assert hosts == {urlsplit(live_server.url).hostname}

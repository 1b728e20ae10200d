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


def test_register_a_household_then_find_it_and_open_its_page(browser, live_server, operator):
    from fupin.test import VILLAGE_A, person_id

    page, hosts = open_page(browser, live_server, viewport={"width": 1280, "height": 900})
    log_in(page, live_server)
    page.locator("#sidebar").get_by_text("贫困户档案").click()
    page.get_by_text("新增贫困户").click()
    page.fill("#id_region_id", VILLAGE_A)
    page.select_option("#id_household_attribute", label="一般贫困户")
    page.select_option("#id_main_cause", label="因病")
    page.select_option("#id_housing_grade", label="C级")
    page.select_option("#id_is_unsafe_housing", label="是")
    page.fill("#id_head-name", "周大福")
    page.fill("#id_head-id_number", person_id("1968-08-08", 17))
    page.check("#id_head-health_status_2")  # 患有大病
    page.select_option("#id_head-has_medical_insurance", label="是")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记")
    expect(page.locator("h1")).to_contain_text("周大福")

    page.locator("#sidebar").get_by_text("贫困户档案").click()
    page.fill("#id_q", "周大")
    page.press("#id_q", "Enter")
    expect(page.locator("#results")).to_contain_text("周大福")
    page.locator("#results").get_by_text(f"{VILLAGE_A}0001").click()
    needs = page.locator("#basic-needs")
    expect(needs).to_contain_text("住房安全有保障")
    expect(needs).to_contain_text("住房为危房")
    expect(page.locator("table").first).to_contain_text("411723********")
    page.screenshot(path=SCREENSHOTS / "household-page.png", full_page=True)
    assert hosts == {urlsplit(live_server.url).hostname}

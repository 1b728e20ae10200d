"""The main journey in a real browser: log in, see the Chinese home page, switch to English, use it on
a 375-px phone screen, log out; and no request leaves the server."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from fupin.accounts.roles import Role
from fupin.test import PASSWORD, TOWNSHIP_A, VILLAGE_A, load_fixture_regions, make_user

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


def test_a_village_batch_from_application_to_announcement_with_an_objection(browser, live_server, operator, tmp_path):
    """Each step by its own actor: the village applies and posts its notice, an objection is raised and
    answered, the township reviews and posts its notice, the county decides and announces."""
    import datetime as dt

    from django.utils import timezone

    from fupin.procedures.tests.base import PNG
    from fupin.test import COUNTY, VILLAGE_A, make_household, person_id

    make_user("cunyuan", Role.VILLAGE_OPERATOR, VILLAGE_A, full_name="村干部")
    make_user("shenhe", Role.TOWNSHIP_REVIEWER, TOWNSHIP_A, full_name="乡镇审核人")
    make_user("xianjingban", Role.COUNTY_OPERATOR, COUNTY, full_name="县经办人")
    make_user("xianshending", Role.COUNTY_REVIEWER, COUNTY, full_name="县审定人")
    make_household(
        operator, poverty_status="applicant", members=[{"name": "赵申请", "id_number": person_id("1966-06-06", 19)}]
    )
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    day = timezone.localdate() - dt.timedelta(days=40)
    page, hosts = open_page(browser, live_server, viewport={"width": 1280, "height": 900})

    def as_user(username):
        page.click("[data-testid=user-menu]")
        page.click("[data-testid=logout]")
        page.goto(live_server.url)
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(batch_url)

    def attach(document):
        page.locator("#evidence-form").locator("xpath=..").locator("summary").click()
        page.select_option("#id_evidence-document", document)
        page.set_input_files("#id_evidence-file", photo)
        page.locator("#evidence-form button").click()
        expect(page.locator(".alert-success")).to_contain_text("佐证材料已上传")

    def complete(step, on):
        page.fill("#id_complete-done_on", on.isoformat())
        page.fill("#id_complete-late_reason", "纸质程序已办，事后录入")  # dated weeks back: 补录
        page.locator("#complete-form button").click()
        expect(page.locator(f"#step-{step} .badge.text-bg-success")).to_be_visible()

    def notice(on):
        page.fill("#id_notice-posted_on", on.isoformat())
        page.fill("#id_notice-place", "村委会公开栏")
        page.fill("#id_notice-late_reason", "纸质程序已办，事后录入")
        page.locator("#notice-form button").click()
        expect(page.locator(".alert-success")).to_contain_text("公示已张贴")

    batch_url = live_server.url
    log_in(page, live_server)
    as_user("cunyuan")
    page.locator("#sidebar").get_by_text("程序办理").click()
    page.get_by_text("启动批次").click()
    page.select_option("#id_kind", "identification")
    page.fill("#id_region", VILLAGE_A)
    page.fill("#id_done_on", day.isoformat())
    page.get_by_role("button", name="启动").click()
    batch_url = page.url
    page.get_by_label("赵申请").check()
    page.locator("#add-cases button").click()
    expect(page.locator("#cases")).to_contain_text("赵申请")

    for step, document in (
        ("application", "申请书"),
        ("home_survey", "入户调查表"),
        ("democratic_review", "评议会议记录"),
    ):
        attach(document)
        day += dt.timedelta(days=1)
        complete(step, day)
    attach("公示照片")
    day += dt.timedelta(days=1)
    notice(day)
    page.locator("summary", has_text="登记异议").click()
    page.fill("#id_objection-raised_on", (day + dt.timedelta(days=1)).isoformat())
    page.fill("#id_objection-raised_by", "钱某")
    page.fill("#id_objection-content", "赵申请家新买了小汽车")
    page.locator("#objection-form button").click()
    expect(page.locator("#blockers")).to_contain_text("1 条异议尚未核实答复")
    page.fill("[id^=finding-]", "经核实，车辆为其子务工单位所有")
    page.fill("[id^=answer-]", "已当面向钱某反馈核实结果")
    page.fill("[id^=answered-]", (day + dt.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="答复").click()
    expect(page.locator(".alert-success")).to_contain_text("异议已答复")
    day += dt.timedelta(days=7)
    complete("village_notice", day)

    as_user("shenhe")
    attach("审核意见")
    day += dt.timedelta(days=1)
    complete("township_review", day)
    as_user("liming")
    attach("公示照片")
    day += dt.timedelta(days=1)
    notice(day)
    day += dt.timedelta(days=7)
    complete("township_notice", day)
    as_user("xianshending")
    attach("审定意见")
    day += dt.timedelta(days=1)
    complete("county_decision", day)
    as_user("xianjingban")
    attach("公告照片")
    day += dt.timedelta(days=1)
    complete("county_announcement", day)
    expect(page.locator("#step-registration")).to_have_class("list-group-item list-group-item-warning")
    page.screenshot(path=SCREENSHOTS / "procedure-batch.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 740})  # a village cadre's phone
    page.goto(batch_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=SCREENSHOTS / "procedure-batch-phone.png", full_page=True)
    assert hosts == {urlsplit(live_server.url).hostname}


def test_a_cadre_logs_a_visit_with_a_photo_on_a_phone(browser, live_server, operator, tmp_path):
    import datetime as dt

    from django.utils import timezone

    from fupin.assistance import actions
    from fupin.procedures.tests.base import PNG
    from fupin.test import COUNTY, VILLAGE_A, make_household, person_id

    account = make_user("zhangming", Role.ASSISTING_CADRE, VILLAGE_A, full_name="张明")
    county_admin = make_user("xianguanli", Role.COUNTY_OPERATOR, COUNTY)
    unit = actions.save_unit(
        by=county_admin, unit=None, values={"name": "平舆县财政局", "level": "county", "region_id": COUNTY}
    )
    cadre = actions.save_cadre(
        by=county_admin,
        cadre=None,
        values={"unit_id": unit.pk, "name": "张明", "phone": "13839600001", "user_id": account.pk},
    )
    household = make_household(operator, members=[{"name": "钱大爷", "id_number": person_id("1950-05-05", 21)}])
    actions.pair(by=operator, household=household, cadre=cadre, start_on=timezone.localdate() - dt.timedelta(days=45))
    picture = tmp_path / "visit.png"
    picture.write_bytes(PNG)

    page, hosts = open_page(
        browser, live_server, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page.goto(live_server.url)
    page.fill("input[name=username]", "zhangming")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.click("[aria-controls=sidebar]")
    page.locator("#sidebar").get_by_text("我的结对户").click()
    row = page.locator("#my-households .list-group-item", has_text="钱大爷")
    expect(row).to_have_class(re.compile("list-group-item-danger"))  # 45 days: overdue
    expect(row.get_by_role("link", name="发现风险")).to_be_visible()  # the monitoring capability's action
    row.get_by_role("link", name="登记走访").click()
    page.get_by_label("与贫困户同吃一顿饭").check()
    page.get_by_label("宣讲一次扶贫政策").check()
    page.fill("#id_note", "了解到老人血压偏高，已联系村医上门")
    page.set_input_files("#id_photos", picture)
    page.get_by_role("button", name="保存走访").click()
    expect(page.locator(".alert-success")).to_contain_text("走访已登记")
    expect(page.locator("#my-households .list-group-item", has_text="钱大爷")).not_to_have_class(
        re.compile("list-group-item-danger")
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=SCREENSHOTS / "cadre-visit-phone.png", full_page=True)
    assert hosts == {urlsplit(live_server.url).hostname}


def test_a_township_records_a_work_teams_month_on_a_phone_and_the_report_shows_who_is_short(
    browser, live_server, operator
):
    from django.utils import timezone

    from fupin.assistance import actions, teams
    from fupin.test import COUNTY, VILLAGE_A

    county_admin = make_user("xianguanli", Role.COUNTY_OPERATOR, COUNTY)
    unit = actions.save_unit(
        by=county_admin, unit=None, values={"name": "平舆县农业农村局", "level": "county", "region_id": COUNTY}
    )
    month = timezone.localdate().replace(day=1)
    team = teams.save_team(
        by=county_admin, team=None, values={"village_id": VILLAGE_A, "unit_id": unit.pk, "start_on": month}
    )
    for name, phone, role in (("王强", "13839600011", "first_secretary"), ("赵敏", "13839600012", "member")):
        cadre = actions.save_cadre(
            by=county_admin, cadre=None, values={"unit_id": unit.pk, "name": name, "phone": phone}
        )
        teams.add_member(by=county_admin, team=team, cadre=cadre, role=role, start_on=month)

    page, hosts = open_page(
        browser, live_server, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    log_in(page, live_server)
    page.click("[aria-controls=sidebar]")
    page.locator("#sidebar").get_by_text("驻村工作队").click()
    page.locator("#teams a", has_text="河北村").click()
    page.get_by_role("link", name="登记本月考勤").click()
    page.get_by_label("王强").fill("22")
    page.get_by_label("赵敏").fill("12")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("考勤已保存")
    expect(page.locator("#attendance")).to_contain_text("22")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=SCREENSHOTS / "work-team-phone.png", full_page=True)

    page.goto(f"{live_server.url}/assistance/teams/attendance/?short=1")
    expect(page.locator("#attendance-rows")).to_contain_text("赵敏")
    expect(page.locator("#attendance-rows")).not_to_contain_text("王强")
    page.screenshot(path=SCREENSHOTS / "attendance-report-phone.png", full_page=True)
    assert hosts == {urlsplit(live_server.url).hostname}


def test_the_dispatch_table_leads_from_a_late_number_to_those_projects(browser, live_server, operator):
    import datetime as dt
    from decimal import Decimal

    from fupin.projects import library
    from fupin.test import VILLAGE_A

    def enter(name: str, start: dt.date) -> None:
        values = {
            "name": name,
            "year": 2024,
            "category": "industrial",
            "work_type": "new",
            "level": "village",
            "region_id": VILLAGE_A,
            "responsible_unit": "杨埠镇人民政府",
            "responsible_person": "李强",
            "content": "建设",
            "performance_targets": "带动20户",
            "total_investment": Decimal("500000"),
            "planned_start_on": start,
            "planned_completion_on": start + dt.timedelta(days=180),
        }
        library.save_project(by=operator, project=None, values=values)

    enter("河北村扶贫车间", dt.date(2024, 3, 1))  # long past its planned start, never started
    enter("河北村冷库", dt.date(2099, 3, 1))

    page, hosts = open_page(browser, live_server, viewport={"width": 1280, "height": 800})
    log_in(page, live_server)
    page.locator("#sidebar").get_by_text("项目资金").click()
    expect(page.locator("#dispatch")).to_contain_text("河北村")
    page.screenshot(path=SCREENSHOTS / "dispatch-table.png", full_page=True)
    page.locator("#dispatch tbody a[data-flag=late_start]").first.click()
    expect(page.locator("#projects")).to_contain_text("河北村扶贫车间")
    expect(page.locator("#projects")).not_to_contain_text("河北村冷库")
    assert hosts == {urlsplit(live_server.url).hostname}


def test_a_village_operator_lands_on_the_inbox_on_a_phone_and_follows_an_item(browser, live_server, operator):
    """我的待办 on a 375-px phone: the count in the menu loads after the page; the item opens the batch."""
    from django.utils import timezone

    from fupin.procedures import engine
    from fupin.regions.models import Region
    from fupin.test import VILLAGE_A

    villager = make_user("cunyuan", Role.VILLAGE_OPERATOR, VILLAGE_A, full_name="村干部")
    batch = engine.start_batch(
        by=villager, kind="identification", region=Region.objects.get(code=VILLAGE_A), year=timezone.localdate().year
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page, hosts = open_page(browser, live_server, viewport={"width": 375, "height": 800})
    page.goto(live_server.url)
    page.fill("input[name=username]", "cunyuan")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("我的待办")
    expect(page.locator("#inbox-procedures")).to_contain_text("待您办理：农户申请")
    page.screenshot(path=SCREENSHOTS / "inbox-phone.png", full_page=True)
    page.click("[aria-controls=sidebar]")
    expect(page.locator("#inbox-count")).to_have_text("1")  # loaded by htmx after the page
    page.click("#sidebar .btn-close")
    expect(page.locator(".offcanvas-backdrop")).to_have_count(0)
    page.locator("#inbox-procedures a").first.click()
    expect(page).to_have_url(re.compile(rf"/procedures/{batch.pk}/$"))
    assert hosts <= {"localhost", "127.0.0.1"}


def test_a_household_reports_itself_on_a_phone_and_the_township_passes_it_on(browser, live_server, operator, settings):
    """农户自主申报 from the QR code's page on a 375-px phone: a receipt, its state, and a flood throttled."""
    from fupin.monitoring.models import Clue
    from fupin.registry.id_numbers import make

    settings.FUPIN_SELF_REPORTS_PER_ADDRESS = 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page, hosts = open_page(browser, live_server, viewport={"width": 375, "height": 740}, is_mobile=True)
    page.goto(f"{live_server.url}/monitoring/report/{VILLAGE_A}/")
    page.fill("input[name=name]", "陈桂兰")
    page.fill("input[name=id_number]", make("411723", dt.date(1963, 4, 18), 22))
    page.fill("input[name=phone]", "139 0000 1234")
    page.select_option("select[name=risk]", "01")
    page.fill("textarea[name=said]", "老伴住院，自付医药费四万多元")
    page.screenshot(path=SCREENSHOTS / "self-report-phone.png", full_page=True)
    page.click("main button[type=submit]")
    receipt = page.locator("[data-testid=receipt]").inner_text()
    assert receipt == Clue.objects.get().receipt
    page.screenshot(path=SCREENSHOTS / "self-report-receipt-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.click("main a:has-text('查询办理进度')")
    expect(page.locator("[data-testid=clue-status]")).to_contain_text("乡镇已收到")
    expect(page.locator("[data-testid=clue-status]")).not_to_contain_text("陈桂兰")

    page.goto(f"{live_server.url}/monitoring/report/{VILLAGE_A}/")
    page.fill("input[name=name]", "陈桂兰")
    page.fill("input[name=id_number]", make("411723", dt.date(1963, 4, 18), 22))
    page.fill("input[name=phone]", "13900001234")
    page.fill("textarea[name=said]", "再次申报")
    page.click("main button[type=submit]")
    expect(page.locator("[data-testid=error-summary]")).to_contain_text("申报过于频繁")
    assert Clue.objects.count() == 1 and not Clue.objects.get().reports

    staff, _hosts = open_page(browser, live_server, viewport={"width": 1280, "height": 800})
    log_in(staff, live_server)
    staff.goto(f"{live_server.url}/monitoring/clues/")
    staff.locator("[data-testid=clue-list]").get_by_role("link", name=receipt).click()
    staff.click("[data-testid=pass-to-village]")
    expect(staff.locator("[data-testid=clue-state]")).to_have_text("已转交村，待入户核实")
    staff.screenshot(path=SCREENSHOTS / "clue-desktop.png", full_page=True)
    assert hosts == {urlsplit(live_server.url).hostname}


def test_a_county_loads_a_department_list_and_a_village_verifies_what_it_found(
    browser, live_server, operator, tmp_path
):
    """数据比对 end to end: the county loads a vehicle list (a row with a bad ID number set aside), puts
    it to use, the comparison finds a registered person's car; the village verifies it with a photo."""
    from django.utils import timezone

    from fupin.test import COUNTY, make_household, person_id

    make_user("county_op", Role.COUNTY_OPERATOR, COUNTY)
    make_user("village_op", Role.VILLAGE_OPERATOR, VILLAGE_A)
    make_household(operator, members=[{"name": "张三", "id_number": person_id("1970-01-01", 11)}])
    listed = tmp_path / "车辆登记.csv"
    listed.write_text(
        f"身份证号,姓名,车辆类型,号牌号码,登记日期\n{person_id('1970-01-01', 11)},张三,小型轿车,豫Q12345,2025-01-01\n"
        "12345,坏号码,小型轿车,,\n",
        encoding="utf-8",
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page, hosts = open_page(browser, live_server, viewport={"width": 1280, "height": 800})
    page.goto(live_server.url)
    page.fill("input[name=username]", "county_op")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/crosscheck/")  # the kinds of lists and their rules
    page.click("[data-testid=load-vehicles]")
    page.set_input_files("input[type=file]", listed)
    page.fill("input[name=data_date]", timezone.localdate().replace(day=1).isoformat())
    page.click("main button[type=submit]")
    expect(page.locator("[data-testid=set-aside]")).to_contain_text("1")
    expect(page.locator("main")).to_contain_text("不是有效的身份证号码")
    page.click("main form[action$='/commit/'] button")
    expect(page.locator("[data-testid=status]")).to_have_text("已提交")
    page.goto(f"{live_server.url}/crosscheck/findings/")
    expect(page.locator("[data-testid=finding-list]")).to_contain_text("名下有非农用机动车")
    page.screenshot(path=SCREENSHOTS / "crosscheck-findings.png", full_page=True)

    village, _hosts = open_page(browser, live_server, viewport={"width": 375, "height": 740}, is_mobile=True)
    village.goto(live_server.url)
    village.fill("input[name=username]", "village_op")
    village.fill("input[name=password]", PASSWORD)
    village.click("button[type=submit]")
    village.goto(f"{live_server.url}/crosscheck/findings/")
    village.locator("main .list-group a", has_text="张三").click()
    expect(village.locator("[data-testid=explanation]")).to_contain_text("小型轿车（豫Q12345）")
    village.check("input[name=result][value=confirmed]")
    village.fill("textarea[name=note]", "入户核实，车辆为本人所有")
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    village.set_input_files("input[name=evidence]", photo)
    village.click("[data-testid=verify-form] button")
    expect(village.locator("[data-testid=finding-state]")).to_have_text("属实")
    assert village.evaluate("document.documentElement.scrollWidth") <= 375
    village.screenshot(path=SCREENSHOTS / "crosscheck-verified-phone.png", full_page=True)
    assert hosts == {urlsplit(live_server.url).hostname}

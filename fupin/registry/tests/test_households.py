"""Registering and maintaining households through the pages, with history and audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from fupin.audit.models import AuditEvent, EventType
from fupin.codes.catalogue import code_list
from fupin.registry import actions, id_numbers
from fupin.registry.models import Household, IncomeRecord, Member
from fupin.test import MEMBER_DEFAULTS, VILLAGE_A, VILLAGE_B, BaseTestCase, make_household, person_id

HEAD_ID = person_id("1970-01-01", 11)
OTHER_ID = person_id("1972-02-02", 13)


def household_post(**overrides) -> dict:
    data = {
        "household_no": "",
        "region_id": VILLAGE_A,
        "identification_standard": "1",
        "household_attribute": "01",
        "main_cause": "1",
        "poverty_status": "not_exited",
        "first_identified_on": "2014-10-01",
        "has_safe_drinking_water": "true",
        "housing_grade": "B",
        "head-name": "王五",
        "head-document_type": "1",
        "head-id_number": HEAD_ID,
        "head-ethnicity": "01",
        "head-health_status": ["02"],
        "head-labour_skill": "01",
        "head-has_medical_insurance": "true",
    }
    data.update(overrides)
    return data


class RegisterTestCase(BaseTestCase):
    def test_an_ordinary_household_is_registered_to_be_monitored_not_as_an_applicant(self):
        self.client.force_login(self.alice)
        page = self.client.get(reverse("registry:create"), {"ordinary": "1"})
        self.assertContains(page, 'data-testid="ordinary-household"')
        self.client.post(reverse("registry:create"), household_post(ordinary="1"))
        household = Household.objects.get()
        self.assertEqual(household.poverty_status, "ordinary")
        self.assertEqual(household.get_poverty_status_display(), "一般农户")

    def test_a_township_operator_registers_a_household_with_its_head(self):
        self.client.force_login(self.alice)
        response = self.client.post(reverse("registry:create"), household_post())
        household = Household.objects.get()
        self.assertRedirects(response, household.get_absolute_url())
        self.assertEqual((household.head_name, household.size), ("王五", 1))
        self.assertEqual(household.poverty_status, "applicant")  # until identification approves it
        self.assertEqual(household.household_no, f"{VILLAGE_A}0001")
        head = household.members.get()
        self.assertEqual((head.sex, head.birth_date), ("1", dt.date(1970, 1, 1)))
        self.assertEqual(head.health_status, ["02"])
        events = AuditEvent.objects.filter(event_type=EventType.CREATE, region_code=VILLAGE_A)
        self.assertEqual(events.count(), 2)
        self.assertNotIn(HEAD_ID, str([e.changes for e in events]))  # the trail keeps masked numbers

    def test_bad_input_is_explained_in_chinese_and_nothing_is_saved(self):
        self.client.force_login(self.alice)
        bad_id = HEAD_ID[:-1] + ("0" if HEAD_ID[-1] != "0" else "1")
        response = self.client.post(
            reverse("registry:create"),
            household_post(**{"head-id_number": bad_id, "main_cause": "77", "region_id": VILLAGE_B}),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "校验码")
        self.assertContains(response, "不在")
        # the errors stand at the top of the page too, each linked to its field
        page = response.content.decode()
        summary = page[page.index('id="error-summary"') :]
        self.assertLess(page.index('id="error-summary"'), page.index('name="head-id_number"'))
        self.assertIn('href="#id_head-id_number"', summary)
        self.assertIn('href="#id_main_cause"', summary)
        self.assertIn("请更正以下", summary)
        self.assertEqual(Household.objects.count(), 0)
        self.assertEqual(Member.objects.count(), 0)

    def test_a_village_outside_the_jurisdiction_is_refused(self):
        self.client.force_login(self.alice)
        response = self.client.post(reverse("registry:create"), household_post(region_id=VILLAGE_B))
        self.assertContains(response, "辖区")
        self.assertFalse(Household.objects.exists())

    def test_a_person_already_in_a_household_is_refused_with_a_link_to_it(self):
        existing = make_household(self.alice, members=[{"name": "王五", "id_number": HEAD_ID}])
        self.client.force_login(self.alice)
        response = self.client.post(reverse("registry:create"), household_post(household_no="X1"))
        self.assertContains(response, f'href="{existing.get_absolute_url()}"', html=False)
        self.assertEqual(Household.objects.count(), 1)  # the new household was rolled back with its head

    def test_the_same_person_may_join_again_after_leaving(self):
        household = make_household(self.alice, members=[{"name": "王五", "id_number": HEAD_ID}])
        member = household.members.get()
        actions.update_member(
            by=self.alice, member=member, values={"left_on": dt.date(2024, 1, 1), "leave_reason": "02"}
        )
        other = make_household(self.alice, household_no="H2", members=[{"name": "王五", "id_number": HEAD_ID}])
        self.assertEqual(other.size, 1)
        household.refresh_from_db()
        self.assertEqual((household.size, household.head_name), (0, ""))

    def test_the_database_itself_refuses_a_second_current_registration(self):
        # Writes below the actions (imports) rely on this constraint, whatever migrations did to indexes.
        household = make_household(self.alice, members=[{"name": "王五", "id_number": HEAD_ID}])
        other = make_household(self.alice, household_no="H2", members=[{"name": "赵六", "id_number": OTHER_ID}])
        twin = {**MEMBER_DEFAULTS, "name": "王五", "id_number": HEAD_ID, "relation_to_head": "02"}
        twin.update(id_numbers.derived(HEAD_ID))
        with self.assertRaises(IntegrityError), transaction.atomic():
            Member.objects.create(household=other, **twin)
        Member.objects.create(household=other, left_on=dt.date(2024, 1, 1), **twin)  # a past membership may repeat
        self.assertEqual(household.members.get().id_number, HEAD_ID)


class MemberAndIncomeTestCase(BaseTestCase):
    def setUp(self):
        self.household = make_household(self.alice)

    def test_adding_a_member_updates_size_and_recomputes_this_years_income(self):
        with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)):
            actions.save_income(
                by=self.alice, household=self.household, year=2026, items={"wage_income": Decimal("9000")}
            )
            self.client.force_login(self.alice)
            data = {
                "name": "王小",
                "document_type": "1",
                "id_number": person_id("2012-05-05", 22),
                "relation_to_head": "03",
                "ethnicity": "01",
                "school_status": "01",
                "health_status": ["01"],
                "has_medical_insurance": "true",
            }
            response = self.client.post(reverse("registry:member_create", args=[self.household.pk]), data)
            self.assertRedirects(response, self.household.get_absolute_url())
        record = IncomeRecord.objects.get()
        self.assertEqual((record.household_size, record.net_income_per_capita), (2, Decimal("4500.00")))
        self.household.refresh_from_db()
        self.assertEqual((self.household.size, self.household.net_income_per_capita), (2, Decimal("4500.00")))

    def test_income_is_computed_never_typed_and_the_page_shows_the_computation(self):
        self.client.force_login(self.alice)
        data = {
            "year": "2024",
            "wage_income": "8000",
            "business_income": "3000",
            "dividend_income": "500",
            "dibao_benefit": "1200",
            "business_expense": "1000",
            "net_income": "999999",  # not a field: ignored
        }
        self.client.post(reverse("registry:income_create", args=[self.household.pk]), data)
        record = IncomeRecord.objects.get()
        self.assertEqual(record.net_income, Decimal("11700"))
        self.assertEqual(record.net_income_per_capita, Decimal("11700.00"))
        response = self.client.get(self.household.get_absolute_url())
        self.assertContains(response, "11700.00")
        self.assertContains(response, "÷ 1")

    def test_negative_income_items_are_refused(self):
        with self.assertRaises(ValidationError) as caught:
            actions.save_income(by=self.alice, household=self.household, year=2024, items={"wage_income": -1})
        self.assertIn("wage_income", caught.exception.message_dict)

    def test_implausible_amounts_are_refused_and_a_very_high_income_needs_a_reason(self):
        from decimal import Decimal

        from fupin.policy.models import PolicyValue
        from fupin.registry.models import IncomeRecord

        PolicyValue.objects.get_or_create(
            name="monitoring_line", year=2024, region_code="", defaults={"value": Decimal(4000)}
        )
        self.client.force_login(self.alice)
        url = reverse("registry:income_create", args=[self.household.pk])
        typo = self.client.post(url, {"year": 2024, "wage_income": "99999999"})
        self.assertContains(typo, "单项收入超过 5,000,000 元，请核实金额。")
        self.assertFalse(IncomeRecord.objects.filter(household=self.household).exists())
        high = {"year": 2024, "wage_income": "50000"}  # one member: 50,000 per head, above 10 × 4,000
        asked = self.client.post(url, high)
        self.assertContains(asked, "人均纯收入 50,000.00 元，超过2024年 防止返贫监测线 4,000 元的 10 倍")
        self.assertFalse(IncomeRecord.objects.filter(household=self.household).exists())
        self.client.post(url, {**high, "unusual_reason": "户主在外承包工程，已核实合同"})
        record = IncomeRecord.objects.get(household=self.household, year=2024)
        self.assertEqual(record.unusual_reason, "户主在外承包工程，已核实合同")
        exactly = {"year": 2024, "wage_income": "40000"}  # exactly 10 ×: not above it
        self.client.post(reverse("registry:income_edit", args=[self.household.pk, 2024]), exactly)
        record.refresh_from_db()
        self.assertEqual((record.wage_income, record.unusual_reason), (Decimal("40000"), ""))

    def test_a_second_head_is_allowed_while_editing_but_the_composition_rule_reports_it(self):
        from fupin.registry.rules import composition_errors

        members = [{"relation_to_head": "01", "id_number": "a"}, {"relation_to_head": "01", "id_number": "b"}]
        self.assertEqual(len(composition_errors(members)), 1)
        self.assertEqual(len(composition_errors([{"relation_to_head": "02", "id_number": "a"}])), 1)


class HouseholdPageTestCase(BaseTestCase):
    def setUp(self):
        with time_machine.travel(dt.datetime(2024, 1, 10, 12, tzinfo=dt.UTC)):
            self.household = make_household(
                self.alice,
                members=[
                    {"name": "李四", "id_number": HEAD_ID},
                    {
                        **MEMBER_DEFAULTS,
                        "name": "李小",
                        "id_number": person_id("2012-05-05", 22),
                        "relation_to_head": "04",
                        "has_medical_insurance": False,
                    },
                ],
            )
        with time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)):
            actions.update_household(
                by=self.alice, household=self.household, values={"housing_grade": "D", "is_unsafe_housing": True}
            )

    def test_the_page_shows_members_masked_checklist_and_history(self):
        self.client.force_login(self.alice)
        response = self.client.get(self.household.get_absolute_url())
        self.assertContains(response, "411723********")
        self.assertNotContains(response, HEAD_ID)
        needs = {item.key: item for item in response.context["needs"]}
        self.assertEqual(needs["education"].status, "problem")  # 李小, 14, not in school
        self.assertEqual(needs["medical"].status, "problem")
        self.assertIn("李小", needs["medical"].evidence[0])
        self.assertEqual(needs["housing"].status, "problem")
        self.assertEqual(needs["water"].status, "ok")
        self.assertEqual(needs["food_clothing"].status, "unknown")
        changes = response.context["changes"]
        self.assertTrue(any(label == "危房等级" or "grade" in label for c in changes for label, _b, _a in c.fields))

    def test_the_page_as_it_was_on_an_earlier_date(self):
        self.client.force_login(self.alice)
        response = self.client.get(self.household.get_absolute_url() + "?as_of=2024-12-31")
        self.assertEqual(response.context["snapshot"].household.housing_grade, "A")
        needs = {item.key: item for item in response.context["needs"]}
        self.assertEqual(needs["housing"].status, "ok")
        before = self.client.get(self.household.get_absolute_url() + "?as_of=2023-12-31")
        self.assertContains(before, "尚未")

    def test_a_household_identified_before_the_system_held_it_says_so(self):
        # identified in 2014, its record kept here from 2024: 2020 is before the record, not before the household
        Household.objects.filter(pk=self.household.pk).update(first_identified_on=dt.date(2014, 10, 1))
        self.client.force_login(self.alice)
        page = self.client.get(self.household.get_absolute_url() + "?as_of=2020-12-31").content.decode()
        self.assertIn("本系统自 2024-", page)
        self.assertIn("此户于 2014-10-01 识别", page)
        self.assertNotIn("该日期时此户尚未建档", page)

    def test_showing_full_id_numbers_is_recorded(self):
        self.client.force_login(self.alice)
        response = self.client.get(self.household.get_absolute_url() + "?reveal=1")
        self.assertContains(response, HEAD_ID)
        event = AuditEvent.objects.get(event_type=EventType.SENSITIVE_VIEW)
        self.assertEqual((event.actor, event.target_id), (self.alice, str(self.household.pk)))

    def test_a_neighbouring_township_cannot_open_or_edit_it(self):
        self.client.force_login(self.bob)
        for name in ("registry:household", "registry:edit", "registry:member_create", "registry:income_create"):
            with self.subTest(name):
                self.assertEqual(self.client.get(reverse(name, args=[self.household.pk])).status_code, 404)


class HomeCountsTestCase(BaseTestCase):
    def test_the_home_page_counts_households_and_people_in_the_users_region(self):
        make_household(
            self.alice,
            poverty_status="exited",
            exit_year=2019,
            members=[
                {"name": "甲", "id_number": HEAD_ID},
                {"name": "乙", "id_number": person_id("1975-01-01", 12), "relation_to_head": "02"},
            ],
        )
        self.client.force_login(self.alice)
        counts = self.client.get("/").context["household_counts"]
        self.assertEqual(
            [(str(label), n) for label, n, _s in counts], [("建档立卡户", 1), ("已脱贫", 1), ("建档立卡人口", 2)]
        )
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get("/").context["household_counts"], [])


class ListTestCase(BaseTestCase):
    def test_filters_compose_and_the_list_costs_a_fixed_number_of_queries(self):
        for i in range(25):
            make_household(
                self.alice,
                household_no=f"L{i:02d}",
                main_cause="1" if i % 2 else "2",
                members=[{"name": f"户主{i}", "id_number": person_id("1960-01-01", 100 + i)}],
            )
        self.client.force_login(self.county_operator)
        url = reverse("registry:list")
        code_list("poverty_cause")  # the code lists are read once per process and minute, not per page
        with self.assertNumQueries(8):  # session, user, count, page; the rest is the session's save
            response = self.client.get(url, {"cause": "2", "sort": "-household_no"})
        numbers = [h.household_no for h in response.context["page"]]
        self.assertEqual(numbers[:3], ["L24", "L22", "L20"])
        self.assertEqual(response.context["page"].paginator.count, 13)
        by_id = self.client.get(url, {"q": person_id("1960-01-01", 107)[-6:]})
        self.assertEqual([h.household_no for h in by_id.context["page"]], ["L07"])
        self.assertNotContains(by_id, person_id("1960-01-01", 107))

    def test_each_filter_names_itself_in_its_box(self):
        self.client.force_login(self.county_operator)
        page = self.client.get(reverse("registry:list"))
        for shown in ("脱贫状态：全部", "贫困户属性：全部", "致贫原因：全部", "数据质量：全部", "默认排序"):
            self.assertContains(page, f">{shown}</option>")
        for year in ("首次识别年度", "脱贫年度"):
            self.assertContains(page, f'placeholder="{year}"')


class SearchTestCase(BaseTestCase):
    def setUp(self):
        self.first = make_household(
            self.alice,
            household_no="4101020010010001",
            main_cause="1",
            other_cause_1="3",
            members=[
                {"name": "王建国", "id_number": person_id("1960-01-01", 101)},
                {"name": "李秀英", "id_number": person_id("1962-03-04", 102), "relation_to_head": "02"},
            ],
        )
        self.second = make_household(
            self.alice,
            household_no="4101020010010002",
            main_cause="3",
            members=[{"name": "王小明", "id_number": person_id("1990-05-06", 103)}],
        )
        self.client.force_login(self.county_operator)

    def found(self, **params) -> list[str]:
        response = self.client.get(reverse("registry:list"), params)
        return sorted(h.household_no for h in response.context["page"])

    def test_text_finds_any_current_member_by_name_id_number_or_household_number(self):
        self.assertEqual(self.found(q="李秀"), ["4101020010010001"])  # a member who is not the head
        self.assertEqual(self.found(q="王"), ["4101020010010001", "4101020010010002"])
        self.assertEqual(self.found(q=person_id("1990-05-06", 103)), ["4101020010010002"])
        self.assertEqual(self.found(q=person_id("1962-03-04", 102)[6:14]), ["4101020010010001"])
        self.assertEqual(self.found(q="4101020010010002"), ["4101020010010002"])
        self.assertEqual(self.found(q="赵"), [])

    def test_part_of_a_name_finds_it_and_one_character_is_a_surname(self):
        self.assertEqual(self.found(q="秀英"), ["4101020010010001"])  # not the start of the name
        self.assertEqual(self.found(q="小明"), ["4101020010010002"])
        self.assertEqual(self.found(q="建国"), ["4101020010010001"])
        self.assertEqual(self.found(q="英"), [])  # one character: a surname, not any character inside

    def test_a_member_who_left_is_no_longer_found_there(self):
        spouse = self.first.members.get(name="李秀英")
        actions.update_member(
            by=self.alice, member=spouse, values={"left_on": dt.date(2020, 1, 1), "leave_reason": "03"}
        )
        self.assertEqual(self.found(q="李秀"), [])

    def test_broad_searches_give_the_same_answer_through_a_subquery(self):
        with mock.patch("fupin.registry.search.FEW_MATCHES", 1):
            self.assertEqual(self.found(q="王"), ["4101020010010001", "4101020010010002"])
            self.assertEqual(self.found(q="41010200100100"), ["4101020010010001", "4101020010010002"])

    def test_the_cause_filter_reads_the_main_cause_unless_asked_for_the_others_too(self):
        self.assertEqual(self.found(cause="3"), ["4101020010010002"])
        self.assertEqual(self.found(cause="3", other_causes="on"), ["4101020010010001", "4101020010010002"])

    def test_search_stays_inside_the_users_scope(self):
        make_household(
            self.bob, village=VILLAGE_B, members=[{"name": "王大力", "id_number": person_id("1970-01-01", 104)}]
        )
        self.client.force_login(self.alice)
        self.assertEqual(self.found(q="王"), ["4101020010010001", "4101020010010002"])

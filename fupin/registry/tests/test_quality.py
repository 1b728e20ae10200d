import datetime as dt
import io

import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent, EventType
from fupin.registry import actions, quality
from fupin.registry.models import Household
from fupin.test import MEMBER_DEFAULTS, TOWNSHIP_A, VILLAGE_A, BaseTestCase, make_household, make_user, person_id

ON = dt.date(2026, 11, 21)


def flagged(code: str) -> set[str]:
    check = quality.CHECKS_BY_CODE[code]
    return set(check.households(Household.objects.all(), ON).values_list("household_no", flat=True))


class QualityChecksTestCase(BaseTestCase):
    def setUp(self):
        with time_machine.travel(dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC)):
            self.complete = complete = {
                "in_cooperative": True,
                "has_production_power": True,
                "has_household_power": True,
                "has_broadcast_tv": True,
                "has_sanitary_toilet": True,
                "main_fuel": "04",
                "distance_to_main_road_km": 1,
                "phone": "13900000001",
            }
            self.good = make_household(
                self.alice,
                household_no="GOOD",
                members=[{"name": "户主乙", "id_number": person_id("1968-01-01", 13)}],
                **complete,
            )
            actions.save_income(by=self.alice, household=self.good, year=2025, items={"wage_income": 20000})
            child = {
                **MEMBER_DEFAULTS,
                "name": "小童",
                "id_number": person_id("2014-03-01", 22),
                "relation_to_head": "03",
            }
            worker = {**child, "name": "幼工", "id_number": person_id("2016-03-01", 42), "school_status": "03"}
            self.bad = make_household(
                self.alice,
                household_no="BAD",
                poverty_status="exited",
                exit_year=None,
                phone="13900000001",
                members=[
                    {"name": "户主甲", "id_number": person_id("1970-01-01", 11)},
                    child,
                    {**worker, "labour_skill": "01"},
                ],
            )

    def test_each_check_flags_the_bad_household_and_not_the_good_one(self):
        for code in ("school_age", "labour_age", "no_income", "exit_year", "road", "yes_no"):
            with self.subTest(code):
                self.assertEqual(flagged(code), {"BAD"})
        self.assertEqual(flagged("phone"), {"GOOD", "BAD"})
        self.assertEqual(flagged("heads"), set())

    def test_flagged_is_the_households_any_check_flags(self):
        toddler = {
            **MEMBER_DEFAULTS,
            "name": "幼童",
            "id_number": person_id("2023-05-01", 24),
            "relation_to_head": "03",
            "school_status": "03",
            "labour_skill": "05",  # 无劳动力
        }
        household = make_household(
            self.alice,
            household_no="TODDLER",
            members=[{"name": "户主戊", "id_number": person_id("1990-01-01", 25)}, toddler],
            **{**self.complete, "phone": "13900000002"},
        )
        actions.save_income(by=self.alice, household=household, year=2025, items={"wage_income": 20000})
        self.assertEqual({c.code for c in quality.CHECKS if "TODDLER" in flagged(c.code)}, {"student_age"})
        each = set().union(*(flagged(check.code) for check in quality.CHECKS))
        together = quality.flagged(Household.objects.all(), ON)
        self.assertEqual(set(Household.objects.filter(pk__in=together).values_list("household_no", flat=True)), each)
        self.assertEqual(each, {"GOOD", "BAD", "TODDLER"})

    def test_a_shared_phone_is_found_outside_the_households_checked(self):
        make_household(
            self.alice, household_no="NOPHONE", members=[{"name": "丙", "id_number": person_id("1966-01-01", 15)}]
        )
        make_household(
            self.alice, household_no="NOPHONE2", members=[{"name": "丁", "id_number": person_id("1967-01-01", 17)}]
        )
        check = quality.CHECKS_BY_CODE["phone"]
        checked = Household.objects.filter(household_no__in=["GOOD", "NOPHONE"])
        self.assertEqual(set(check.households(checked, ON).values_list("household_no", flat=True)), {"GOOD"})
        self.assertEqual(flagged("phone"), {"GOOD", "BAD"})  # two households without a phone share nothing

    def test_a_household_without_a_current_head_or_with_two_is_flagged(self):
        second = {
            **MEMBER_DEFAULTS,
            "name": "户主丙",
            "id_number": person_id("1971-01-01", 19),
            "relation_to_head": "01",
        }
        actions.add_member(by=self.alice, household=self.good, values=second)
        headless = make_household(
            self.alice, household_no="HEADLESS", members=[{"name": "户主丁", "id_number": person_id("1965-01-01", 21)}]
        )
        actions.update_member(
            by=self.alice,
            member=headless.members.get(),
            values={"left_on": dt.date(2025, 1, 1), "leave_reason": "02"},
        )
        self.assertEqual(flagged("heads"), {"GOOD", "HEADLESS"})

    def test_the_report_counts_heads_per_household_not_per_village(self):
        # GOOD and BAD have one head each, in the same village: the village has no household to flag.
        checks, rows = quality.by_village(Household.objects.all(), ON)
        heads = [c.code for c in checks].index("heads")
        self.assertEqual([row["counts"][heads] for row in rows if row["region_id"] == VILLAGE_A], [0])

    def test_ages_are_counted_on_the_day(self):
        # aged exactly 16 on 2026-11-21: born after 2009-11-21 and on or before 2010-11-21
        q = quality.born_between(ON, 16, 16)
        self.assertEqual(
            set(q.children), {("birth_date__lte", dt.date(2010, 11, 21)), ("birth_date__gt", dt.date(2009, 11, 21))}
        )

    def test_the_report_counts_by_village_and_links_to_the_households(self):
        self.client.force_login(self.alice)
        with time_machine.travel(dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC)):
            response = self.client.get(reverse("registry:quality"))
            self.assertContains(response, f"?quality=exit_year&amp;region={VILLAGE_A}")
            listed = self.client.get(reverse("registry:list"), {"quality": "exit_year", "region": VILLAGE_A})
        self.assertEqual([h.household_no for h in listed.context["page"]], ["BAD"])

    def test_a_neighbour_sees_nothing(self):
        self.client.force_login(self.bob)
        response = self.client.get(reverse("registry:quality"))
        self.assertEqual(response.context["rows"], [])

    def test_the_report_downloads_as_a_sheet_with_its_totals_and_the_export_is_audited(self):
        self.client.force_login(self.alice)
        with time_machine.travel(dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC)):
            shown = self.client.get(reverse("registry:quality"))
            response = self.client.get(reverse("registry:quality"), {"export": "xlsx", "region": VILLAGE_A})
        self.assertContains(shown, 'href="?export=xlsx"')
        sheet = load_workbook(io.BytesIO(response.content)).active
        header, *villages, total = [list(row) for row in sheet.iter_rows(values_only=True)]
        titles = [str(c.title) for c in shown.context["checks"]]
        self.assertEqual(header, ["村", "区划代码", *titles])
        self.assertEqual([row[1] for row in villages], [VILLAGE_A])
        self.assertEqual(villages[0][2 + titles.index(str(quality.CHECKS_BY_CODE["exit_year"].title))], 1)
        self.assertEqual(total, ["合计", None, *shown.context["totals"]])
        event = AuditEvent.objects.get(event_type=EventType.EXPORT)
        self.assertEqual((event.actor, event.changes["villages"]), (self.alice, 1))
        self.assertEqual(event.changes["filters"], {"region": VILLAGE_A})

    def test_without_the_export_permission_the_report_is_shown_and_not_downloaded(self):
        cadre = make_user("cadre", Role.ASSISTING_CADRE, TOWNSHIP_A)
        self.client.force_login(cadre)
        response = self.client.get(reverse("registry:quality"), {"export": "xlsx"})
        self.assertTemplateUsed(response, "registry/quality.html")
        self.assertNotContains(response, 'href="?export=xlsx')
        self.assertFalse(AuditEvent.objects.filter(event_type=EventType.EXPORT).exists())

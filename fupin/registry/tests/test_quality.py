import datetime as dt

import time_machine
from django.urls import reverse

from fupin.registry import actions, quality
from fupin.registry.models import Household
from fupin.test import MEMBER_DEFAULTS, VILLAGE_A, BaseTestCase, make_household, person_id

ON = dt.date(2026, 11, 21)


def flagged(code: str) -> set[str]:
    check = quality.CHECKS_BY_CODE[code]
    return set(check.households(Household.objects.all(), ON).values_list("household_no", flat=True))


class QualityChecksTestCase(BaseTestCase):
    def setUp(self):
        with time_machine.travel(dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC)):
            complete = {
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

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from fupin.assistance import coverage, plans
from fupin.assistance.models import CoverageRule, MeasureType
from fupin.registry.models import Household
from fupin.test import MEMBER_DEFAULTS, BaseTestCase, make_household, person_id

YEAR = timezone.localdate().year


class CoverageTestCase(BaseTestCase):
    def household(self, seq: int, labour: str = "01", **values) -> Household:
        return make_household(
            self.alice,
            household_no=f"H{seq}",
            members=[
                {
                    **MEMBER_DEFAULTS,
                    "name": f"户主{seq}",
                    "id_number": person_id("1975-01-01", seq),
                    "labour_skill": labour,
                }
            ],
            **values,
        )

    def give(self, household: Household, *codes: str) -> None:
        plan = plans.save_plan(by=self.alice, household=household, year=YEAR)
        for code in codes:
            plans.save_measure(
                by=self.alice,
                plan=plan,
                values={"measure_type_id": MeasureType.objects.get(code=code).pk, "planned_amount": Decimal("500")},
            )

    def gaps_of(self, household: Household) -> set[str]:
        _applies, found = coverage.gaps(Household.objects.filter(pk=household.pk), YEAR)
        return {g.rule.code for g in found}

    def test_labour_needs_two_income_generating_measures(self):
        working = self.household(11, main_cause="5")  # 缺土地: no cause rule
        self.give(working, "welfare_post")
        self.assertEqual(self.gaps_of(working), {"labour_two_income"})
        self.give(working, "microcredit")  # a loan is not income
        self.assertEqual(self.gaps_of(working), {"labour_two_income"})
        self.give(working, "industry_cooperative")  # industry counts, whatever its money
        self.assertEqual(self.gaps_of(working), set())
        unable = self.household(13, labour="04", main_cause="5")
        self.assertEqual(self.gaps_of(unable), set())

    def test_the_main_cause_and_unsafe_housing_need_their_measures(self):
        ill = self.household(11, labour="05", main_cause="1", housing_grade="D", is_unsafe_housing=True)
        self.assertEqual(self.gaps_of(ill), {"cause_illness", "unsafe_housing"})
        self.give(ill, "health_assistance", "housing_renovation")
        self.assertEqual(self.gaps_of(ill), set())

    def test_exited_households_keep_a_measure(self):
        exited = self.household(11, labour="05", main_cause="5", poverty_status="exited", exit_year=2019)
        self.assertEqual(self.gaps_of(exited), {"exited_keeps_measure"})
        self.give(exited, "dividend")
        self.assertEqual(self.gaps_of(exited), set())

    def test_rules_are_data(self):
        CoverageRule.objects.filter(code="labour_two_income").update(
            parameters={"skills": ["01", "02"], "min": 1, "categories": []}
        )
        working = self.household(11, main_cause="5")
        self.give(working, "welfare_post")
        self.assertEqual(self.gaps_of(working), set())

    def test_the_report_by_village_and_cadre_links_to_the_households(self):
        ill = self.household(11, labour="05", main_cause="1")
        self.client.force_login(self.alice)
        page = self.client.get(reverse("assistance:coverage"), {"year": YEAR})
        self.assertContains(page, "因病致贫有健康措施")
        [village] = page.context["villages"]
        self.assertIn(("cause_illness", 1, 1), village["cells"])
        listing = self.client.get(reverse("assistance:coverage"), {"year": YEAR, "rule": "cause_illness"})
        self.assertContains(listing, ill.household_no)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(reverse("assistance:coverage")).context["villages"], [])

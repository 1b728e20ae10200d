"""低于 / 高于 / 稳定超过 are strict and compared on the exact figures; what the page shows is rounded
afterwards, as people write percentages (90%, 0.51%, 1.9999% beside a 2% threshold)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from fupin.procedures import regional
from fupin.procedures.exits import assess
from fupin.registry import actions
from fupin.registry.models import Household
from fupin.test import COUNTY, VILLAGE_A, BaseTestCase, make_household, person_id


class IncidenceEdgeTests(BaseTestCase):
    def test_incidence_is_compared_exactly_and_shown_rounded(self):
        village = self.region(VILLAGE_A)
        household = make_household(self.alice, members=[{"name": "户主", "id_number": person_id("1970-01-01", 11)}])
        for poor, population, passes, shown in (
            (19_999, 1_000_001, True, "1.9999%（19,999 ÷ 1,000,001）"),  # rounded to 3 places it would read 2.000
            (20_000, 1_000_000, False, "2%（20,000 ÷ 1,000,000）"),  # exactly the threshold: not below it
            (19, 1_000, True, "1.9%（19 ÷ 1,000）"),
        ):
            with self.subTest(poor=poor, population=population):
                Household.objects.filter(pk=household.pk).update(size=poor)
                regional.set_population(by=self.county_operator, region=village, year=2019, rural_population=population)
                result = regional.assess(village, 2019)
                [incidence] = result.criteria
                self.assertEqual((incidence.value, incidence.threshold, incidence.passed), (shown, "低于 2%", passes))


class CountyRatesTests(BaseTestCase):
    def setUp(self):
        regional.set_population(by=self.county_operator, region=self.region(COUNTY), year=2019, rural_population=10_000)
        make_household(self.alice, members=[{"name": "户主", "id_number": person_id("1970-01-01", 11)}])

    def test_rates_from_counts_and_thresholds_read_as_people_write_them(self):
        rates = regional.Rates(
            wrong_exit=regional.rate_from_counts(25, 4_900),  # 0.5102…%
            missed=regional.rate_from_counts(1, 1_000),
            recognition=regional.rate_from_counts(901, 1_000),  # 90.1%: above 90
        )
        shown = {
            c.key: (c.value, c.threshold, c.passed) for c in regional.assess(self.region(COUNTY), 2019, rates).criteria
        }
        self.assertEqual(shown["wrong_exit"], ("0.51%", "低于 2%", True))
        self.assertEqual(shown["missed"], ("0.1%", "低于 2%", True))
        self.assertEqual(shown["recognition"], ("90.1%", "高于 90%", True))
        exactly = regional.Rates(wrong_exit=Decimal(2), missed=Decimal(0), recognition=regional.rate_from_counts(9, 10))
        verdicts = {c.key: c.passed for c in regional.assess(self.region(COUNTY), 2019, exactly).criteria}
        self.assertEqual((verdicts["wrong_exit"], verdicts["recognition"]), (False, False))  # equal is not below/above

    def test_the_page_takes_counts_or_rates_and_keeps_the_record_rounded(self):
        self.client.force_login(self.county_operator)
        params = {"region": COUNTY, "year": 2019, "wrong_exits": 25, "exits_sampled": 4900, "missed_rate": "0.5"}
        page = self.client.get(reverse("procedures:region_exit"), {**params, "satisfied": 95, "surveyed": 100})
        text = page.content.decode()
        self.assertIn("0.51%", text)
        self.assertIn("高于 90%", text)
        self.assertNotIn("E+", text)
        self.assertNotIn("0.5102040816", text)
        bad = self.client.get(reverse("procedures:region_exit"), {**params, "satisfied": 101, "surveyed": 100})
        self.assertContains(bad, "人数应在 0 到抽样人数之间")
        self.client.post(
            reverse("procedures:region_exit"), {**params, "satisfied": 95, "surveyed": 100, "mark_exit": "0"}
        )
        row = self.region(COUNTY).regionexitassessment_set.get()
        self.assertEqual((row.wrong_exit_rate, row.recognition), (Decimal("0.51"), Decimal("95.00")))


class PerCapitaEdgeTests(BaseTestCase):
    def test_per_capita_income_is_compared_exactly(self):
        from fupin.policy.models import PolicyValue

        PolicyValue.objects.get_or_create(
            name="poverty_line", year=2020, region_code="", defaults={"value": Decimal(4000)}
        )
        # four people: a net income of 16,000.01 is above a 4,000 line though it shows as 4,000.00 each
        for k, (net, passes) in enumerate(((Decimal("16000.01"), True), (Decimal("16000"), False))):
            with self.subTest(net=net):
                members = [
                    {"name": f"成员{i}", "id_number": person_id("1970-01-01", 11 + 10 * k + 2 * i)} for i in range(4)
                ]
                for member in members[1:]:
                    member["relation_to_head"] = "10"
                household = make_household(self.alice, household_no=f"E{k}", members=members)
                actions.save_income(by=self.alice, household=household, year=2020, items={"wage_income": net})
                criteria = assess(household, 2020, on=dt.date(2020, 12, 1)).criteria
                [income] = [c for c in criteria if c.key == "income"]
                self.assertEqual((income.value, income.passed), ("4,000.00 元", passes))

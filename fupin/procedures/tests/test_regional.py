from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse

from fupin.policy.models import PolicyValue
from fupin.procedures import regional
from fupin.procedures.models import RegionExitAssessment, RegionPopulation
from fupin.regions.designation import set_designation
from fupin.registry.models import Household
from fupin.test import COUNTY, VILLAGE_A, VILLAGE_B, BaseTestCase, make_household, person_id
from fupin.transfer import pipeline
from fupin.transfer.spec import get_spec


class IncidenceTestCase(BaseTestCase):
    def setUp(self):
        self.village = self.region(VILLAGE_A)
        regional.set_population(by=self.county_operator, region=self.village, year=2019, rural_population=1000)

    def poor(self, people: int, seq: int = 11, **values) -> Household:
        household = make_household(
            self.alice,
            household_no=f"H{seq}",
            members=[{"name": "户主", "id_number": person_id("1970-01-01", seq)}],
            **values,
        )
        Household.objects.filter(pk=household.pk).update(size=people)  # the list column the count reads
        return household

    def verdict(self, year: int = 2019) -> tuple[Decimal, bool]:
        result = regional.assess(self.village, year)
        return result.incidence, result.passed

    def test_village_incidence_at_the_two_percent_threshold(self):
        household = self.poor(19)
        self.assertEqual(self.verdict(), (Decimal("1.900"), True))
        for people, passes in ((20, False), (21, False)):
            Household.objects.filter(pk=household.pk).update(size=people)
            self.assertEqual(self.verdict()[1], passes, people)

    def test_the_western_threshold_is_three_percent(self):
        PolicyValue.objects.create(name="western_region", region_code="4117", year=2000, value=1)
        household = self.poor(29)
        result = regional.assess(self.village, 2019)
        self.assertTrue(result.passed)
        self.assertIn("3%", result.criteria[0].threshold)
        Household.objects.filter(pk=household.pk).update(size=30)
        self.assertFalse(regional.assess(self.village, 2019).passed)

    def test_who_counts_as_poor_in_a_year(self):
        self.poor(5, seq=11)  # poor now
        self.poor(7, seq=13, poverty_status="exited", exit_year=2020)  # still poor at the end of 2019
        self.poor(11, seq=15, poverty_status="exited", exit_year=2019)  # exited in 2019
        self.poor(13, seq=17, poverty_status="applicant")  # never identified
        self.assertEqual(regional.people(VILLAGE_A, 2019)[0], 12)

    def test_a_county_needs_its_rates_and_all_four_must_pass(self):
        county = self.region(COUNTY)
        regional.set_population(by=self.county_operator, region=county, year=2019, rural_population=10000)
        self.poor(100, seq=11)
        self.poor(50, seq=13, poverty_status="exited", exit_year=2018)
        with self.assertRaises(ValidationError):
            regional.assess(county, 2019)
        rates = regional.Rates(wrong_exit=Decimal("1.5"), missed=Decimal("0.5"), recognition=Decimal("95"))
        result = regional.assess(county, 2019, rates)
        # (100 poor + 0.5% of 9,850 unregistered + 1.5% of 50 exited) ÷ 10,000
        self.assertEqual(result.comprehensive, Decimal("1.500"))
        self.assertTrue(result.passed)
        low = regional.Rates(wrong_exit=Decimal("1.5"), missed=Decimal("0.5"), recognition=Decimal("90"))
        verdicts = {c.key: c.passed for c in regional.assess(county, 2019, low).criteria}
        self.assertEqual(
            verdicts,
            {"incidence": True, "comprehensive": True, "wrong_exit": True, "missed": True, "recognition": False},
        )

    def test_a_county_without_its_own_figure_adds_up_its_villages(self):
        county = self.region(COUNTY)
        regional.set_population(by=self.county_operator, region=self.region(VILLAGE_B), year=2019, rural_population=500)
        total, missing = regional.population(county, 2019)
        self.assertEqual(total, 1500)
        self.assertGreater(missing, 0)
        with self.assertRaisesMessage(ValidationError, "尚未录入"):
            regional.population(county, 2018)

    def test_recording_a_passed_assessment_sets_the_villages_exit_year(self):
        set_designation(
            by=self.county_operator, region=self.village, designated=True, designated_year=2014, exit_year=None
        )
        self.village.refresh_from_db()
        self.poor(10)
        row, result = regional.record(by=self.county_operator, region=self.village, year=2019, mark_exit=True)
        self.village.refresh_from_db()
        self.assertEqual((self.village.exit_year, row.passed, row.incidence), (2019, True, Decimal("1.000")))
        self.assertEqual(row.policy[0]["name"], "incidence_max")
        Household.objects.update(size=30)
        with self.assertRaisesMessage(ValidationError, "未达到"):
            regional.record(by=self.county_operator, region=self.village, year=2019, mark_exit=True)
        self.assertEqual(RegionExitAssessment.objects.count(), 1)


class RegionPagesTestCase(BaseTestCase):
    def test_the_county_enters_its_villages_population_and_assesses_a_village(self):
        self.client.force_login(self.county_operator)
        url = reverse("procedures:population")
        page = self.client.get(url + f"?region={COUNTY}&year=2019")
        self.assertContains(page, VILLAGE_A)
        response = self.client.post(url, {"region": COUNTY, "year": 2019, f"p-{VILLAGE_A}": "800", "source": "户籍"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(RegionPopulation.objects.get(region_id=VILLAGE_A, year=2019).rural_population, 800)
        bad = self.client.post(url, {"region": COUNTY, "year": 2019, f"p-{VILLAGE_B}": "很多"}, follow=True)
        self.assertContains(bad, "整数")
        self.assertFalse(RegionPopulation.objects.filter(region_id=VILLAGE_B).exists())

        household = make_household(self.alice, members=[{"name": "户主", "id_number": person_id("1970-01-01", 11)}])
        Household.objects.filter(pk=household.pk).update(size=8)
        exit_url = reverse("procedures:region_exit")
        page = self.client.get(exit_url, {"region": VILLAGE_A, "year": 2019})
        self.assertContains(page, "1%（8 ÷ 800）")
        self.assertTrue(page.context["result"].passed)
        self.client.post(exit_url, {"region": VILLAGE_A, "year": 2019, "mark_exit": "0"})
        self.assertEqual(RegionExitAssessment.objects.get().incidence, Decimal("1.000"))

    def test_a_county_without_rates_is_told_what_is_missing(self):
        self.client.force_login(self.county_operator)
        page = self.client.get(reverse("procedures:region_exit"), {"region": COUNTY, "year": 2019})
        self.assertContains(page, "请填写比率，或填写发现的人数及其抽样人数。")
        self.assertIsNone(page.context["result"])

    def test_population_import_through_the_pipeline(self):
        content = f"区划代码,名称,年度,乡村户籍人口,来源\n{VILLAGE_A},,2019,900,户籍\n{VILLAGE_A},,2019,901,\n".encode()
        batch = pipeline.stage(
            spec=get_spec("rural_population"), filename="人口.csv", content=content, by=self.county_operator
        )
        self.assertEqual(batch.error_count, 1)  # the same region and year twice
        content = f"区划代码,名称,年度,乡村户籍人口,来源\n{VILLAGE_A},,2019,900,户籍\n{COUNTY},,2019,52000,\n".encode()
        batch = pipeline.stage(
            spec=get_spec("rural_population"), filename="人口.csv", content=content, by=self.county_operator
        )
        pipeline.commit(batch=batch, by=self.county_operator)
        self.assertEqual(regional.population(self.region(COUNTY), 2019), (52000, 0))

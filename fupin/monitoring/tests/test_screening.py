"""The system screening: each rule at its edge (strict comparisons on exact values), one clue per
household with every reason and its values, nothing new on a second run, and the job from the page."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from fupin.jobs.models import Job
from fupin.monitoring import actions, screening
from fupin.monitoring.models import Channel, Clue, ClueState
from fupin.policy.models import PolicyValue
from fupin.registry import actions as registry_actions
from fupin.test import COUNTY, BaseTestCase, make_household, person_id

YEAR = 2025
LINE = Decimal("8000")  # with the default margin of 110 %: below 8,800 per person is listed


class ScreeningTestCase(BaseTestCase):
    def setUp(self):
        PolicyValue.objects.create(name="monitoring_line", region_code="41", year=YEAR, value=LINE)
        self.sequence = 30

    def household(self, wage: str | None = None, year: int = YEAR, **values):
        self.sequence += 2
        household = make_household(
            self.alice,
            members=[{"name": f"户主{self.sequence}", "id_number": person_id("1970-01-01", self.sequence)}],
            **values,
        )
        if wage is not None:
            self.income(household, wage, year)
        return household

    def income(self, household, wage: str, year: int = YEAR) -> None:
        registry_actions.save_income(
            by=self.alice, household=household, year=year, items={"wage_income": Decimal(wage)}
        )

    def run_screening(self) -> dict:
        return screening.screen(by=self.county_operator, region_code=COUNTY)

    def test_income_below_the_margin_is_listed_and_equal_to_it_is_not(self):
        below = self.household("8799.99")
        self.household("8800")  # exactly 110 % of the line: not below
        counts = self.run_screening()
        clue = Clue.objects.get()
        self.assertEqual((clue.household, clue.channel, clue.state), (below, Channel.SYSTEM, ClueState.CHECKING))
        self.assertEqual(clue.rule, "income")
        self.assertEqual(clue.values["income"]["income"], "8799.99")
        self.assertIn("8,799.99", clue.said)
        self.assertEqual(counts["income"], 1)

    def test_a_fall_of_more_than_the_share_is_listed_and_exactly_the_share_is_not(self):
        fell = self.household("20000", year=YEAR - 1)
        self.income(fell, "13999.99")  # by 30.00005 %
        kept = self.household("20000", year=YEAR - 1)
        self.income(kept, "14000")  # by exactly 30 %
        self.run_screening()
        self.assertEqual([c.household for c in Clue.objects.all()], [fell])
        self.assertEqual(Clue.objects.get().rule, "fall")

    def test_rigid_spending_above_the_share_is_listed(self):
        over = self.household("20000")
        actions.save_expenditure(by=self.alice, household=over, year=YEAR, values={"medical": "10000.01"})
        at = self.household("20000")
        actions.save_expenditure(by=self.alice, household=at, year=YEAR, values={"medical": "10000"})
        self.run_screening()
        self.assertEqual([c.household for c in Clue.objects.all()], [over])

    def test_a_failed_guarantee_is_listed_with_what_failed(self):
        unsafe = self.household("20000", housing_grade="D", is_unsafe_housing=True)
        self.household("20000")
        self.run_screening()
        clue = Clue.objects.get()
        self.assertEqual((clue.household, clue.rule), (unsafe, "needs"))
        self.assertEqual(clue.values["needs"]["failed"], ["housing"])

    def test_every_reason_goes_on_one_clue_and_a_second_run_adds_nothing(self):
        both = self.household("5000", housing_grade="C", is_unsafe_housing=True)
        self.run_screening()
        clue = Clue.objects.get()
        self.assertEqual(clue.household, both)
        self.assertEqual(set(clue.rule.split("、")), {"needs", "income"})
        counts = self.run_screening()
        self.assertEqual(Clue.objects.count(), 1)
        self.assertEqual(counts["clues"], 0)

    def test_a_year_without_a_line_is_said_and_the_other_rules_still_run(self):
        PolicyValue.objects.filter(name="monitoring_line").delete()
        self.household("5000", housing_grade="D", is_unsafe_housing=True)
        counts = self.run_screening()
        self.assertTrue(counts["skipped"])
        self.assertEqual(Clue.objects.get().rule, "needs")

    def test_the_county_starts_it_from_the_list_as_a_job(self):
        self.client.force_login(self.county_operator)
        page = self.client.get(reverse("monitoring:clues"))
        self.assertContains(page, 'data-testid="run-screening"')
        response = self.client.post(reverse("monitoring:screening"))
        job = Job.objects.get(kind=screening.KIND)
        self.assertRedirects(response, job.get_absolute_url(), fetch_redirect_response=False)
        self.client.force_login(self.alice)  # a township does not run it
        self.assertEqual(self.client.post(reverse("monitoring:screening")).status_code, 403)


class MonthlyCommandTestCase(BaseTestCase):
    def test_the_monthly_command_screens_the_users_region(self):
        PolicyValue.objects.create(name="monitoring_line", region_code="41", year=YEAR, value=LINE)
        household = make_household(self.alice, members=[{"name": "月度", "id_number": person_id("1970-01-01", 61)}])
        registry_actions.save_income(
            by=self.alice, household=household, year=YEAR, items={"wage_income": Decimal("100")}
        )
        out = StringIO()
        call_command("screen_households", user="county_operator", stdout=out)
        self.assertIn("clues 1", out.getvalue())
        self.assertEqual(Clue.objects.get().household, household)

import datetime as dt
from decimal import Decimal

from fupin.access import under
from fupin.policy.models import PolicyValue
from fupin.projects import funds, indicators
from fupin.projects.models import Project, Stage
from fupin.projects.tests.base import ProjectTestCase
from fupin.regions import tables
from fupin.test import COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_B

START, MIDPOINT, COMPLETION = dt.date(2024, 3, 1), dt.date(2024, 6, 15), dt.date(2024, 9, 30)


class IndicatorTestCase(ProjectTestCase):
    def pay(self, project, amount: str, allocated: str | None = None):
        funds.allocate(
            by=self.county_operator, project=project, source_id=self.central.pk, amount=Decimal(allocated or amount)
        )
        funds.disburse(
            by=self.county_operator,
            project=project,
            source_id=self.central.pk,
            amount=Decimal(amount),
            paid_on=START,
            voucher_no=f"记-{project.pk}",
        )
        project.refresh_from_db()
        return project

    def flags(self, project: Project, day: dt.date) -> set[str]:
        return {
            flag for flag in indicators.FLAGS if indicators.flagged(Project.objects.filter(pk=project.pk), flag, day)
        }


class RatioTestCase(IndicatorTestCase):
    def test_progress_against_investment_and_against_allocation_differ_when_allocations_are_short(self):
        # Worked example: 1,000,000 invested, 400,000 allocated, 300,000 paid. Against the allocation the
        # county looks 75% done; against the investment it is 30% done.
        project = self.pay(self.project(), "300000", allocated="400000")
        row = indicators.totals(Project.objects.all(), COMPLETION)
        self.assertEqual((row.progress_of_investment, row.progress_of_allocation), (Decimal("30.0"), Decimal("75.0")))
        self.assertEqual(project.disbursed, Decimal("300000"))

    def test_start_and_completion_rates_count_what_was_due_by_the_day(self):
        started = self.advance(self.project(), Stage.LIBRARY, Stage.APPROVED, Stage.STARTED, on=START)
        self.project(name="未开工项目")
        self.project(name="明年项目", planned_start_on=dt.date(2025, 3, 1), planned_completion_on=dt.date(2025, 9, 1))
        row = indicators.totals(Project.objects.all(), dt.date(2024, 12, 31))
        self.assertEqual((row.figures["due_to_start"], row.figures["started_as_planned"]), (2, 1))
        self.assertEqual((row.start_rate, row.completion_rate), (Decimal("50.0"), Decimal("0.0")))
        self.assertIsNone(indicators.totals(Project.objects.none(), START).start_rate)
        self.assertEqual(started.started_on, START)


class AlertTestCase(IndicatorTestCase):
    def test_late_start_and_late_completion_begin_the_day_after_the_planned_date(self):
        project = self.project()
        self.assertNotIn("late_start", self.flags(project, START))
        self.assertIn("late_start", self.flags(project, START + dt.timedelta(days=1)))
        project = self.advance(project, Stage.LIBRARY, Stage.APPROVED, Stage.STARTED, on=START)
        self.assertNotIn("late_start", self.flags(project, START + dt.timedelta(days=1)))
        self.assertNotIn("late_completion", self.flags(project, COMPLETION))
        self.assertIn("late_completion", self.flags(project, COMPLETION + dt.timedelta(days=1)))

    def test_behind_on_payments_at_the_midpoint_and_after_completion(self):
        half = self.pay(self.project(), "499999.99", allocated="1000000")
        self.assertNotIn("behind_payments", self.flags(half, MIDPOINT - dt.timedelta(days=1)))
        self.assertIn("behind_payments", self.flags(half, MIDPOINT))
        on_track = self.pay(self.project(name="过半项目"), "500000", allocated="1000000")
        self.assertNotIn("behind_payments", self.flags(on_track, COMPLETION))
        self.assertIn("behind_payments", self.flags(on_track, COMPLETION + dt.timedelta(days=1)))  # < 90%
        paid = self.pay(self.project(name="付清项目"), "900000", allocated="1000000")
        self.assertNotIn("behind_payments", self.flags(paid, COMPLETION + dt.timedelta(days=1)))

    def test_a_county_may_set_its_own_payment_share(self):
        PolicyValue.objects.create(
            name="disbursement_due_share", region_code=COUNTY, year=2014, value=40, source="县文件"
        )
        project = self.pay(self.project(), "500000", allocated="1000000")
        self.assertNotIn("behind_payments", self.flags(project, COMPLETION + dt.timedelta(days=1)))


class TotalsAddUpTestCase(IndicatorTestCase):
    def test_the_county_total_equals_the_sum_of_its_rows_for_every_indicator(self):
        self.pay(self.project(), "300000", allocated="400000")
        self.advance(self.project(name="已开工"), Stage.LIBRARY, Stage.APPROVED, Stage.STARTED, on=START)
        township = self.project(
            name="镇级项目", level="township", region_id=TOWNSHIP_A, total_investment=Decimal("500000")
        )
        self.pay(township, "500000")
        self.project(by=self.county_operator, name="县本级项目", level="county", region_id=COUNTY)
        self.project(by=self.county_operator, name="二镇项目", region_id=VILLAGE_B, category="infrastructure")
        projects = Project.objects.filter(under("region_id", COUNTY))
        day = COMPLETION + dt.timedelta(days=1)
        total = indicators.totals(projects, day)
        rows = tables.rows_by_child(COUNTY, [indicators.figures(projects, day)], indicators.ZEROS)
        self.assertEqual([r.code for r in rows], [COUNTY, TOWNSHIP_A, TOWNSHIP_B])  # 本级 first
        for name, value in total.figures.items():
            with self.subTest(name):
                self.assertEqual(sum(r.figures[name] for r in rows), value)
        self.assertEqual(total.figures["projects"], 5)
        self.assertEqual(total.figures["behind_payments"], 4)  # all but the township's, fully paid
        township_rows = tables.rows_by_child(TOWNSHIP_A, [indicators.figures(projects, day)], indicators.ZEROS)
        self.assertEqual(sum(r.figures["projects"] for r in township_rows), 3)

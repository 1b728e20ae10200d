import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fupin.assistance import plans
from fupin.assistance.models import Measure, MeasureType
from fupin.test import BaseTestCase, make_household, person_id

TODAY = timezone.localdate()


class PlanTestCase(BaseTestCase):
    def setUp(self):
        self.household = make_household(self.alice)
        self.plan = plans.save_plan(by=self.alice, household=self.household, year=TODAY.year, goal="务工增收")
        self.dividend = MeasureType.objects.get(code="dividend")

    def measure(self, **values):
        return plans.save_measure(by=self.alice, plan=self.plan, values={"measure_type_id": self.dividend.pk, **values})

    def test_the_catalogue_is_data_with_income_items(self):
        self.assertEqual(self.dividend.income_item, "dividend_income")
        self.assertEqual(MeasureType.objects.get(code="welfare_post").income_item, "wage_income")
        self.assertEqual(MeasureType.objects.get(code="microcredit").income_item, "")
        self.assertEqual(
            set(MeasureType.objects.values_list("category", flat=True)) >= {"industry", "health", "housing"}, True
        )

    def test_one_plan_per_household_and_year(self):
        again = plans.save_plan(by=self.alice, household=self.household, year=TODAY.year)
        self.assertEqual((again.pk, again.goal), (self.plan.pk, "务工增收"))

    def test_a_measure_is_planned_then_delivered(self):
        measure = self.measure(
            description="光伏电站分红", planned_amount=Decimal("1000"), funding_source="县级扶贫资金"
        )
        self.assertFalse(measure.is_delivered)
        plans.save_measure(
            by=self.alice,
            plan=self.plan,
            measure=measure,
            values={"delivered_amount": Decimal("1000"), "delivered_on": TODAY},
        )
        measure.refresh_from_db()
        self.assertTrue(measure.is_delivered)
        with self.assertRaisesMessage(ValidationError, "不能删除"):
            plans.delete_measure(by=self.alice, measure=measure)

    def test_bad_amounts_and_dates_are_explained(self):
        cases = (
            ({"planned_amount": Decimal("-1")}, "不能为负"),
            ({"planned_amount": Decimal("1000001")}, "核实"),
            ({"delivered_amount": Decimal("100")}, "发放日期"),
            ({"delivered_amount": Decimal("100"), "delivered_on": TODAY + dt.timedelta(days=1)}, "晚于今天"),
            ({"delivered_amount": Decimal("100"), "delivered_on": dt.date(TODAY.year - 1, 12, 31)}, "其他年份"),
        )
        for values, message in cases:
            with self.subTest(values), self.assertRaisesMessage(ValidationError, message):
                self.measure(**values)
        self.assertFalse(Measure.objects.exists())

    def test_who_may_plan(self):
        with self.assertRaises(PermissionDenied):
            plans.save_plan(by=self.bob, household=self.household, year=TODAY.year)
        applicant = make_household(
            self.alice,
            household_no="A2",
            poverty_status="applicant",
            members=[{"name": "乙", "id_number": person_id("1980-01-01", 13)}],
        )
        with self.assertRaisesMessage(ValidationError, "申请户"):
            plans.save_plan(by=self.alice, household=applicant, year=TODAY.year)

    def test_the_plan_page_adds_a_measure_and_the_household_page_shows_it(self):
        self.client.force_login(self.alice)
        url = reverse("assistance:plan", args=[self.household.pk, TODAY.year])
        response = self.client.post(
            url, {"measure_type_id": self.dividend.pk, "description": "合作社分红", "planned_amount": "800"}
        )
        self.assertRedirects(response, url)
        bad = self.client.post(url, {"measure_type_id": self.dividend.pk, "planned_amount": "-5"})
        self.assertContains(bad, "不能为负")
        page = self.client.get(self.household.get_absolute_url())
        self.assertContains(page, "合作社分红")


class CardTestCase(BaseTestCase):
    def test_the_contact_card_names_the_household_and_the_cadres_phone(self):
        import io

        from pypdf import PdfReader

        from fupin.assistance import actions
        from fupin.test import COUNTY

        household = make_household(self.alice, members=[{"name": "孙大山", "id_number": person_id("1966-01-01", 17)}])
        unit = actions.save_unit(
            by=self.county_operator, unit=None, values={"name": "平舆县交通局", "level": "county", "region_id": COUNTY}
        )
        cadre = actions.save_cadre(
            by=self.county_operator, cadre=None, values={"unit_id": unit.pk, "name": "刘强", "phone": "13839600005"}
        )
        actions.pair(by=self.alice, household=household, cadre=cadre, start_on=TODAY)
        plan = plans.save_plan(by=self.alice, household=household, year=TODAY.year)
        plans.save_measure(
            by=self.alice, plan=plan, values={"measure_type_id": MeasureType.objects.get(code="welfare_post").pk}
        )
        self.client.force_login(self.alice)
        for kind in ("contact", "policy"):
            with self.subTest(kind):
                response = self.client.get(reverse("assistance:card", args=[household.pk]), {"kind": kind})
                self.assertEqual(response["Content-Type"], "application/pdf")
                text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
                for expected in ("孙大山", "13839600005", "公益岗位"):
                    self.assertIn(expected, text)
                self.assertNotIn(household.members.get().id_number, text)
        village = self.client.get(reverse("assistance:village_cards"), {"village": household.region_id})
        self.assertIn("孙大山", "".join(p.extract_text() for p in PdfReader(io.BytesIO(village.content)).pages))
        self.client.force_login(self.bob)
        self.assertEqual(
            self.client.get(reverse("assistance:village_cards"), {"village": household.region_id}).status_code, 404
        )


class DemoTestCase(BaseTestCase):
    def test_the_demo_pairs_cadre1s_village_once(self):
        from fupin.accounts.demo import create_demo_data
        from fupin.accounts.models import User
        from fupin.assistance import demo
        from fupin.assistance.models import Attendance, LeaderLink, Pairing, Visit

        create_demo_data()
        cadre1 = User.objects.get(username="cadre1")
        for seq in range(11, 18, 2):
            make_household(
                self.alice,
                village=cadre1.region_id,
                household_no=f"D{seq}",
                members=[{"name": f"户{seq}", "id_number": person_id("1970-01-01", seq)}],
            )
        self.assertIn("4 households paired", demo.seed())
        self.assertEqual(Pairing.objects.filter(cadre__user=cadre1).count(), 4)
        self.assertEqual(Visit.objects.count(), 1)
        self.assertEqual((Attendance.objects.count(), LeaderLink.objects.count()), (2, 1))
        self.assertEqual(demo.seed(), "assistance already seeded")

        from fupin.projects import demo as project_demo
        from fupin.projects.models import Project

        self.assertIn("4 households linked", project_demo.seed())
        self.assertEqual(Project.objects.filter(stage="completed").count(), 1)
        self.assertEqual(project_demo.seed(), "projects already seeded")

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fupin.accounts.roles import Role
from fupin.projects import links
from fupin.projects.tests.base import ProjectTestCase
from fupin.registry.models import Household
from fupin.test import COUNTY, VILLAGE_B, make_household, make_user, person_id


class LinkTestCase(ProjectTestCase):
    def setUp(self):
        super().setUp()
        self.solar = self.project()
        self.household = make_household(self.alice, household_no="A1")

    def link(self, household_no="A1", kind="dividend", amount="1000", project=None):
        return links.link(
            by=self.alice,
            project=project or self.solar,
            household_no=household_no,
            kind=kind,
            annual_amount=Decimal(amount) if amount is not None else None,
        )

    def test_households_are_linked_once_per_way_and_counted_once(self):
        self.link()
        self.link(kind="employment", amount=None)
        with self.assertRaisesMessage(ValidationError, "已以此方式"):
            self.link()
        self.solar.refresh_from_db()
        self.assertEqual(self.solar.linked_households, 1)
        links.unlink(by=self.alice, link=self.solar.benefit_links.get(kind="employment"))
        links.unlink(by=self.alice, link=self.solar.benefit_links.get(kind="dividend"))
        self.solar.refresh_from_db()
        self.assertEqual(self.solar.linked_households, 0)

    def test_a_project_department_runs_projects_but_not_which_households_benefit(self):
        created = self.link()
        department = make_user("agriculture", Role.DEPARTMENT_USER, COUNTY)
        with self.assertRaises(PermissionDenied):
            links.unlink(by=department, link=created)
        self.client.force_login(department)
        response = self.client.post(reverse("projects:link_remove", args=[created.pk]))
        self.assertEqual(response.status_code, 403)
        self.assertTrue(self.solar.benefit_links.exists())
        page = self.client.get(self.solar.get_absolute_url())
        self.assertNotContains(page, reverse("projects:link_remove", args=[created.pk]))
        bank = make_user("credit_union", Role.BANK_USER, COUNTY)  # a bank records loans, not projects
        self.client.force_login(bank)
        self.assertEqual(self.client.get(reverse("projects:edit", args=[self.solar.pk])).status_code, 403)

    def test_who_may_be_linked(self):
        make_household(
            self.alice,
            household_no="APP",
            poverty_status="applicant",
            members=[{"name": "申请人", "id_number": person_id("1980-01-01", 41)}],
        )
        make_household(
            self.county_operator,
            village=VILLAGE_B,
            household_no="B1",
            members=[{"name": "二镇户", "id_number": person_id("1981-01-01", 42)}],
        )
        for household_no, amount, message in (
            ("APP", "1", "只能联结"),
            ("B1", "1", "本辖区内没有"),  # alice cannot see township B
            ("NONE", "1", "本辖区内没有"),
            ("A1", "-1", "0 至"),
            ("A1", "1000001", "0 至"),
        ):
            with self.subTest(household_no), self.assertRaisesMessage(ValidationError, message):
                self.link(household_no=household_no, amount=amount)
        county_wide = self.project(by=self.county_operator, name="县级产业园", level="county", region_id="411723")
        village_b = self.project(by=self.county_operator, name="二镇村项目", region_id=VILLAGE_B)
        links.link(by=self.county_operator, project=county_wide, household_no="B1", kind="employment")
        with self.assertRaisesMessage(ValidationError, "服务范围"):
            links.link(by=self.county_operator, project=village_b, household_no="A1", kind="employment")

    def test_the_report_lists_households_no_industrial_project_benefits(self):
        road = self.project(name="道路", category="infrastructure")
        self.link(project=road, kind="infrastructure_use", amount=None)
        self.assertEqual(list(links.without_industrial_project(Household.objects.all())), [self.household])
        self.link()
        self.assertFalse(links.without_industrial_project(Household.objects.all()).exists())

    def test_the_project_page_and_the_household_page_show_the_link(self):
        self.client.force_login(self.alice)
        self.client.post(
            reverse("projects:link_add", args=[self.solar.pk]),
            {"link-household_no": "A1", "link-kind": "dividend", "link-annual_amount": "1200"},
        )
        self.assertContains(self.client.get(self.solar.get_absolute_url()), "1,200.00")
        self.assertContains(self.client.get(self.household.get_absolute_url()), "河北村光伏电站")
        report = self.client.get(reverse("projects:unlinked"))
        self.assertEqual(list(report.context["page"]), [])

    def test_the_list_of_households_without_a_project_exports(self):
        from io import BytesIO

        from openpyxl import load_workbook

        from fupin.audit.models import AuditEvent, EventType

        self.client.force_login(self.alice)
        export = self.client.get(reverse("projects:unlinked"), {"region": self.household.region_id, "export": "xlsx"})
        rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
        self.assertEqual([r[0] for r in rows[1:]], [self.household.household_no])
        self.assertTrue(AuditEvent.objects.filter(event_type=EventType.EXPORT, actor=self.alice).exists())


class MeasureProjectTestCase(ProjectTestCase):
    def test_a_measure_names_the_project_that_delivers_it_when_the_project_serves_the_household(self):
        from fupin.assistance import plans
        from fupin.assistance.models import MeasureType

        household = make_household(self.alice)
        plan = plans.save_plan(by=self.alice, household=household, year=2024)
        dividend = MeasureType.objects.get(code="dividend").pk
        solar = self.project()
        measure = plans.save_measure(
            by=self.alice, plan=plan, values={"measure_type_id": dividend, "project_id": solar.pk}
        )
        self.assertEqual(measure.project, solar)
        elsewhere = self.project(by=self.county_operator, name="二镇项目", region_id=VILLAGE_B)
        with self.assertRaisesMessage(ValidationError, "服务该户所在区划"):
            plans.save_measure(
                by=self.alice, plan=plan, values={"measure_type_id": dividend, "project_id": elsewhere.pk}
            )
        self.client.force_login(self.alice)
        page = self.client.get(reverse("assistance:plan", args=[household.pk, 2024]))
        self.assertContains(page, solar.get_absolute_url())

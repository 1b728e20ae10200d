import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from fupin.audit.models import AuditEvent, EventType
from fupin.projects import funds, library
from fupin.projects.models import Project, Stage
from fupin.projects.tests.base import ProjectTestCase, scan
from fupin.test import COUNTY, TOWNSHIP_A, VILLAGE_B


class ProjectPagesTestCase(ProjectTestCase):
    def test_a_project_is_entered_advanced_and_paid_through_its_pages(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("projects:create"),
            {
                "name": "河北村道路硬化",
                "year": 2024,
                "category": "infrastructure",
                "work_type": "new",
                "level": "village",
                "region_id": "411723101200",
                "responsible_unit": "杨埠镇人民政府",
                "responsible_person": "李强",
                "content": "硬化道路2公里",
                "performance_targets": "受益脱贫户20户",
                "expected_households": 20,
                "expected_people": 60,
                "total_investment": "800000",
                "planned_start_on": "2024-03-01",
                "planned_completion_on": "2024-09-30",
            },
        )
        project = Project.objects.get()
        self.assertRedirects(response, project.get_absolute_url())
        library.enter_library(by=self.alice, project=project, on=dt.date(2024, 1, 10), note="")  # test_intake walks it
        response = self.client.post(
            reverse("projects:advance", args=[project.pk]),
            {"advance-stage": "approved", "advance-on": "2024-01-20"},
            follow=True,
        )
        self.assertContains(response, "请附上本环节的文件")
        self.client.post(
            reverse("projects:advance", args=[project.pk]),
            {"advance-stage": "approved", "advance-on": "2024-01-20", "advance-document": scan()},
        )
        self.client.post(
            reverse("projects:allocate", args=[project.pk]),
            {"allocation-source": self.central.pk, "allocation-amount": "500000"},
        )
        page = self.client.post(
            reverse("projects:disburse", args=[project.pk]),
            {
                "pay-source": self.central.pk,
                "pay-amount": "200000",
                "pay-paid_on": "2024-02-01",
                "pay-voucher_no": "记-7",
            },
            follow=True,
        )
        self.assertContains(page, "拨付已登记")
        self.assertContains(page, "25.0%")  # 200,000 of 800,000 invested
        self.assertContains(page, "40.0%")  # of 500,000 allocated
        project.refresh_from_db()
        self.assertEqual((project.stage, project.disbursed), (Stage.APPROVED, Decimal("200000")))
        document = self.client.get(project.stage_records.get(stage="approved").get_absolute_url())
        self.assertEqual(document["Content-Type"], "image/png")

    def test_the_dispatch_table_drills_down_and_its_numbers_open_the_projects_behind_them(self):
        late = self.project(name="逾期未开工项目")
        self.project(
            by=self.county_operator,
            name="二镇项目",
            region_id=VILLAGE_B,
            planned_start_on=dt.date(2099, 1, 1),
            planned_completion_on=None,
        )
        funds.allocate(by=self.alice, project=late, source_id=self.central.pk, amount=Decimal("1000"))
        self.client.force_login(self.county_operator)
        with self.assertNumQueries(10):
            table = self.client.get(reverse("projects:dispatch"))
        self.assertContains(table, "杨埠镇")
        self.assertEqual(table.context["total"].figures["late_start"], 1)
        township = self.client.get(reverse("projects:dispatch"), {"region": TOWNSHIP_A})
        self.assertEqual([line["row"].code for line in township.context["lines"]], ["411723101200"])
        self.assertContains(
            self.client.get(late.get_absolute_url()), '<div class="alert alert-warning py-2 mb-2">逾期未开工'
        )
        listed = self.client.get(reverse("projects:list"), {"region": COUNTY, "flag": "late_start"})
        self.assertEqual([p.name for p in listed.context["page"]], ["逾期未开工项目"])
        # a township's operator sees only its own, and cannot climb above its township
        self.client.force_login(self.bob)
        table = self.client.get(reverse("projects:dispatch"), {"region": COUNTY})
        self.assertEqual(table.context["total"].figures["projects"], 1)
        self.assertIsNone(table.context["up"])

    def test_the_dispatch_table_exports_with_the_pages_layout(self):
        late = self.project(name="逾期未开工项目")
        funds.allocate(by=self.alice, project=late, source_id=self.central.pk, amount=Decimal("400000"))
        self.project(by=self.county_operator, name="二镇项目", region_id=VILLAGE_B, total_investment=Decimal("500000"))
        self.client.force_login(self.county_operator)
        page = self.client.get(reverse("projects:dispatch"))
        response = self.client.get(reverse("projects:dispatch"), {"export": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        self.assertIn("平舆县", rows[0][0])
        headers = (rows[1][0], rows[1][3], rows[2][3], rows[1][17])
        self.assertEqual(headers, ("区划", "预警", "逾期未开工", "带贫户数"))
        self.assertIn("D2:F2", {str(r) for r in sheet.merged_cells.ranges})
        body = rows[3:]
        self.assertEqual([r[0] for r in body], [*(line["name"] for line in page.context["lines"]), "合计"])
        total = page.context["total"].figures
        self.assertEqual((body[-1][1], body[-1][3]), (2, total["late_start"]))
        self.assertEqual(Decimal(str(body[-1][6])), Decimal("1500000"))
        self.assertEqual(sum(r[6] for r in body[:-1]), body[-1][6])
        self.assertTrue(AuditEvent.objects.filter(event_type=EventType.EXPORT, target_repr="调度表").exists())

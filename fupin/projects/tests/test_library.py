import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fupin.audit.models import AuditEvent
from fupin.projects import library
from fupin.projects.models import Stage
from fupin.projects.tests.base import ProjectTestCase, scan
from fupin.test import COUNTY, TOWNSHIP_A, VILLAGE_B


class ProjectEntryTestCase(ProjectTestCase):
    def test_a_project_is_entered_in_the_ledger_of_its_level(self):
        project = self.project()
        self.assertEqual((project.stage, project.is_industrial), (Stage.PLANNING, True))
        self.assertEqual(project.planned_midpoint_on, dt.date(2024, 6, 15))
        with self.assertRaisesMessage(ValidationError, "县级"):
            self.project(by=self.city_department(), level="county", region_id=COUNTY[:4])
        county_wide = self.project(by=self.county_operator, level="county", region_id=COUNTY)
        self.assertEqual(county_wide.region_id, COUNTY)
        with self.assertRaisesMessage(ValidationError, "村级"):
            self.project(level="village", region_id=TOWNSHIP_A)

    def test_bad_input_is_explained_and_nothing_is_saved(self):
        cases = (
            ({"name": " "}, "名称"),
            ({"total_investment": Decimal("-1")}, "不能为负"),
            ({"total_investment": Decimal("10000000001")}, "核实"),
            ({"planned_completion_on": dt.date(2024, 2, 1)}, "早于计划开工"),
            ({"category": "casino"}, "类别"),
            ({"year": 2013}, "2014"),
        )
        for values, message in cases:
            with self.subTest(values=values), self.assertRaisesMessage(ValidationError, message):
                self.project(**values)
        with self.assertRaises(PermissionDenied):
            self.project(region_id=VILLAGE_B)
        self.assertFalse(library.Project.objects.exists())


class StageTestCase(ProjectTestCase):
    def test_stages_move_forward_with_dates_and_documents(self):
        project = self.project()
        project = self.advance(project, Stage.LIBRARY, Stage.APPROVED, on=dt.date(2024, 2, 1))
        with self.assertRaisesMessage(ValidationError, "招标采购、开工"):  # what may come next
            library.advance(by=self.alice, project=project, stage=Stage.COMPLETED, on=dt.date(2024, 3, 1))
        with self.assertRaisesMessage(ValidationError, "附上"):
            library.advance(by=self.alice, project=project, stage=Stage.STARTED, on=dt.date(2024, 3, 1))
        with self.assertRaisesMessage(ValidationError, "早于上一环节"):
            library.advance(
                by=self.alice, project=project, stage=Stage.STARTED, on=dt.date(2024, 1, 31), document=scan()
            )
        # tendering may be skipped: a subsidy has none
        project = self.advance(project, Stage.STARTED, on=dt.date(2024, 3, 5))
        self.assertEqual((project.stage, project.started_on), (Stage.STARTED, dt.date(2024, 3, 5)))
        with self.assertRaisesMessage(ValidationError, "完工"):
            library.advance(by=self.alice, project=project, stage=Stage.APPROVED, on=dt.date(2024, 3, 6))
        with self.assertRaisesMessage(ValidationError, "晚于今天"):
            library.advance(
                by=self.alice,
                project=project,
                stage=Stage.COMPLETED,
                on=timezone.localdate() + dt.timedelta(days=1),
                document=scan(),
            )
        project = self.advance(project, Stage.COMPLETED, Stage.ACCEPTED, Stage.SETTLED, on=dt.date(2024, 9, 1))
        self.assertEqual(project.completed_on, dt.date(2024, 9, 1))
        with self.assertRaisesMessage(ValidationError, "最后"):
            library.advance(by=self.alice, project=project, stage=Stage.SETTLED, on=dt.date(2024, 9, 2))
        self.assertEqual(project.stage_records.count(), 6)
        events = AuditEvent.objects.filter(target_type="projects.project", changes__has_key="stage").order_by("id")
        self.assertEqual(
            [e.changes["stage"] for e in events][-3:],
            [["started", "completed"], ["completed", "accepted"], ["accepted", "settled"]],
        )

    def test_a_stage_recorded_without_a_document_has_none_to_show(self):
        project = self.advance(self.project(), Stage.LIBRARY)
        record = project.stage_records.get(stage=Stage.LIBRARY)
        self.assertFalse(record.document)
        self.client.force_login(self.alice)
        response = self.client.get(reverse("projects:stage_document", args=[record.pk]))
        self.assertEqual(response.status_code, 404)  # not a server error (scripts/probe.py found it)

    def test_no_performance_targets_no_library(self):
        project = self.project(performance_targets="")
        with self.assertRaisesMessage(ValidationError, "绩效目标"):
            library.enter_library(by=self.alice, project=project, on=dt.date(2024, 1, 1), note="")
        project = library.save_project(by=self.alice, project=project, values={"performance_targets": "带动30户"})
        project = self.advance(project, Stage.LIBRARY)
        with self.assertRaisesMessage(ValidationError, "绩效目标"):
            library.save_project(by=self.alice, project=project, values={"performance_targets": ""})


class IntakeRouteTestCase(ProjectTestCase):
    def test_only_a_city_project_enters_the_library_without_the_intake_procedure(self):
        village = self.project()
        self.assertEqual(library.next_stages(village), [])
        with self.assertRaisesMessage(ValidationError, "入库程序"):
            library.advance(by=self.alice, project=village, stage=Stage.LIBRARY, on=dt.date(2024, 1, 1))
        department = self.city_department()
        city = self.project(by=department, level="city", region_id=COUNTY[:4], name="市级产业园")
        self.assertEqual(library.next_stages(city), [Stage.LIBRARY])
        library.advance(by=department, project=city, stage=Stage.LIBRARY, on=dt.date(2024, 1, 1))
        city.refresh_from_db()
        self.assertEqual(city.stage, Stage.LIBRARY)

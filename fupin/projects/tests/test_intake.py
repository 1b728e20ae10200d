import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse

from fupin.accounts.roles import Role
from fupin.procedures import engine, printing
from fupin.procedures.models import Action, AnnualAdjustment, Batch, BatchState, CaseState, Event
from fupin.procedures.tests.base import ProcedureDriver
from fupin.projects import intake, library
from fupin.projects.models import Project, Stage
from fupin.projects.tests.base import ProjectTestCase
from fupin.regions.models import Region
from fupin.test import COUNTY, TOWNSHIP_A, VILLAGE_A, VILLAGE_B, make_user

VILLAGE_INTAKE = "project_intake_village"


class IntakeTestCase(ProcedureDriver, ProjectTestCase):
    """Township A's village projects go through intake with the procedure cast of township A."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.cast()
        cls.department = make_user("department", Role.DEPARTMENT_USER, COUNTY)

    def start_intake(self, kind: str = VILLAGE_INTAKE, region: str = VILLAGE_A, by=None, *projects) -> Batch:
        batch = engine.start_batch(
            by=by or self.village_operator,
            kind=kind,
            region=Region.objects.get(code=region),
            year=2024,
            done_on=self.next_day(),
        )
        for project in projects:
            engine.add_case(by=by or self.village_operator, batch=batch, version=self.version(batch), subject=project)
        return batch


class VillageIntakeTestCase(IntakeTestCase):
    def test_a_village_project_goes_through_every_step_into_the_library(self):
        project = self.project(expected_households=30)
        batch = self.run_until(self.start_intake(VILLAGE_INTAKE, VILLAGE_A, None, project), None)
        self.assertEqual(batch.state, BatchState.CLOSED)
        project.refresh_from_db()
        self.assertEqual(project.stage, Stage.LIBRARY)
        record = project.stage_records.get(stage=Stage.LIBRARY)
        self.assertEqual(record.reached_on, batch.closed_on)
        self.assertIn(f"#{batch.pk}", record.note)
        completed = Event.objects.filter(batch=batch, action=Action.COMPLETED)
        self.assertEqual(
            list(completed.values_list("step__name", flat=True)),
            ["村级申报", "村公示", "乡镇审核", "县行业部门审核", "县领导小组审定", "县公告", "入库"],
        )
        self.assertEqual(
            set(completed.values_list("actor__username", flat=True)),
            {"village_a", "reviewer_a", "county_operator", "county_reviewer"},
        )
        # The village notice runs the project notice period (10 days, both ends counted), not the
        # household procedures' 7 days.
        notice = batch.notices.get()
        self.assertEqual((notice.days, notice.ends_on), (10, notice.posted_on + dt.timedelta(days=9)))
        case = batch.cases.get()
        self.assertEqual(case.state, CaseState.APPROVED)
        self.assertEqual(case.subject_label, "河北村光伏电站（2024）")
        self.assertEqual(case.failed_checks, [])

    def test_without_performance_targets_a_project_cannot_be_proposed_and_no_one_may_waive_it(self):
        project = self.project(performance_targets="")
        batch = self.start_intake()
        with self.assertRaisesMessage(ValidationError, "绩效目标"):
            engine.add_case(by=self.village_operator, batch=batch, version=self.version(batch), subject=project)
        with self.assertRaisesMessage(ValidationError, "不得特批"):
            engine.add_case(
                by=self.county_operator,
                batch=batch,
                version=self.version(batch),
                subject=project,
                reason="县里同意",
                override=True,
            )
        self.assertFalse(batch.cases.exists())

    def test_missing_content_is_shown_to_the_reviewers(self):
        project = self.project(planned_start_on=None, planned_completion_on=None, expected_households=0)
        batch = self.start_intake(VILLAGE_INTAKE, VILLAGE_A, None, project)
        failed = [check["name"] for check in batch.cases.get().failed_checks]
        self.assertEqual(failed, ["计划工期", "预计受益对象"])
        # Filled in during the procedure, the findings follow at the next completed step.
        library.save_project(
            by=self.alice,
            project=project,
            values={
                "planned_start_on": dt.date(2024, 3, 1),
                "planned_completion_on": dt.date(2024, 9, 30),
                "expected_households": 20,
            },
        )
        batch = self.complete(batch)
        self.assertEqual(batch.cases.get().failed_checks, [])

    def test_a_batch_takes_the_planning_projects_of_its_level_and_region(self):
        wanted = self.project(name="村级项目")
        self.project(name="乡镇级项目", level="township")
        self.project(by=self.bob, name="乙镇的村级项目", region_id=VILLAGE_B, responsible_unit="东和店镇人民政府")
        self.advance(self.project(name="已入库项目"), Stage.LIBRARY)
        village_batch = self.start_intake()
        self.assertEqual(list(intake.INTAKES["village"].candidates(village_batch)), [wanted])
        township_batch = self.start_intake("project_intake_township", TOWNSHIP_A, self.alice)
        self.assertEqual([p.name for p in intake.INTAKES["township"].candidates(township_batch)], ["乡镇级项目"])
        with self.assertRaisesMessage(ValidationError, "乡镇级"):
            engine.start_batch(
                by=self.alice,
                kind="project_intake_township",
                region=Region.objects.get(code=VILLAGE_A),
                year=2024,
                done_on=self.next_day(),
            )
        with self.assertRaisesMessage(ValidationError, "乡镇台账"):
            engine.add_case(
                by=self.alice,
                batch=village_batch,
                version=self.version(village_batch),
                subject=Project.objects.get(name="乡镇级项目"),
            )

    def test_a_dropped_project_stays_in_planning_and_may_be_proposed_again(self):
        project = self.project()
        batch = self.run_until(self.start_intake(VILLAGE_INTAKE, VILLAGE_A, None, project), "township_review")
        engine.drop_case(
            by=self.township_reviewer,
            case=batch.cases.get(),
            version=self.version(batch),
            reason="选址未落实",
            done_on=self.next_day(),
        )
        project.refresh_from_db()
        self.assertEqual(project.stage, Stage.PLANNING)
        again = self.start_intake(VILLAGE_INTAKE, VILLAGE_A, None, project)
        self.assertEqual(again.cases.get().state, CaseState.ACTIVE)

    def test_a_project_in_a_batch_keeps_its_place_and_targets_until_it_is_decided(self):
        project = self.project()
        self.start_intake(VILLAGE_INTAKE, VILLAGE_A, None, project)
        with self.assertRaisesMessage(ValidationError, "入库批次"):
            library.save_project(by=self.alice, project=project, values={"level": "township"})
        with self.assertRaisesMessage(ValidationError, "绩效目标"):
            library.save_project(by=self.alice, project=project, values={"performance_targets": " "})
        library.save_project(by=self.alice, project=project, values={"name": "河北村光伏电站（一期）"})

    def test_the_printed_notice_lists_the_projects_with_the_required_content(self):
        project = self.project(expected_households=30, expected_people=95)
        batch = self.run_until(self.start_intake(VILLAGE_INTAKE, VILLAGE_A, None, project), "village_notice")
        self.prove(batch)
        notice = self.post(batch)
        html = printing.notice_html(batch, notice)
        for text in ("项目名称", "绩效目标", "河北村光伏电站", "1,000,000.00", "30户，95人", "杨埠镇人民政府 李强"):
            self.assertIn(text, html)
        self.assertNotIn("户主姓名", html)

    def test_project_batches_stay_out_of_the_annual_adjustment_of_households(self):
        AnnualAdjustment.objects.create(region_id=COUNTY, year=2024, opened_on=self.day, opened_by=self.county_operator)
        self.assertIsNone(self.start_intake().adjustment)


class CountyIntakeTestCase(IntakeTestCase):
    def test_a_county_project_is_proposed_by_a_department_and_noticed_by_the_county(self):
        project = self.project(by=self.county_operator, level="county", region_id=COUNTY, name="县扶贫产业园")
        batch = self.start_intake("project_intake_county", COUNTY, self.department, project)
        batch = self.run_until(batch, None)
        project.refresh_from_db()
        self.assertEqual(project.stage, Stage.LIBRARY)
        steps = list(batch.procedure.steps.values_list("name", flat=True))
        self.assertEqual(steps[:2], ["县级部门申报", "县级公示"])


class IntakePagesTestCase(IntakeTestCase):
    def test_from_the_project_page_to_a_batch_and_back(self):
        project = self.project()
        self.client.force_login(self.village_operator)
        page = self.client.get(project.get_absolute_url())
        start = f"{reverse('procedures:create')}?kind={VILLAGE_INTAKE}&amp;region={VILLAGE_A}&amp;year=2024"
        self.assertContains(page, start)
        form = self.client.get(start.replace("&amp;", "&"))
        self.assertContains(form, f'value="{VILLAGE_A}"')
        response = self.client.post(
            reverse("procedures:create"),
            {"kind": VILLAGE_INTAKE, "region": VILLAGE_A, "year": 2024, "done_on": self.next_day()},
            follow=True,
        )
        self.assertContains(response, "请加入项目")
        self.assertContains(response, "河北村光伏电站（2024）")
        self.assertNotContains(response, "县级特批")  # no one waives a project's targets
        batch = Batch.objects.get()
        self.assertContains(self.client.get(project.get_absolute_url()), f"#{batch.pk}")
        response = self.client.post(
            reverse("procedures:add", args=[batch.pk]),
            {"add-version": self.version(batch), "add-subjects": [project.pk]},
            follow=True,
        )
        self.assertContains(response, "已加入批次：河北村光伏电站（2024）")
        case = batch.cases.get()
        page = self.client.get(project.get_absolute_url())
        self.assertContains(page, case.get_absolute_url())
        self.assertNotContains(page, reverse("procedures:create"))
        detail = self.client.get(case.get_absolute_url())
        self.assertContains(detail, "绩效目标")
        self.assertContains(detail, project.get_absolute_url())

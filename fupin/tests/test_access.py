"""Every URL is walked: each view declares a policy, anonymous users are sent to the login page, and
users of two sibling townships cannot read or change each other's records, even by typing ids.

A new URL fails `test_it_knows_every_url` until it is added to OBJECT_URLS or LIST_URLS below.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from fupin.accounts import actions as account_actions
from fupin.assistance import actions as assistance_actions
from fupin.assistance import plans, teams, visits
from fupin.assistance.models import MeasureType
from fupin.audit.models import AuditEvent
from fupin.crosscheck import comparison, verification
from fupin.crosscheck.models import DatasetKind, Finding
from fupin.crosscheck.sheets import spec_of
from fupin.jobs.models import Job
from fupin.microcredit import loans
from fupin.monitoring import actions as monitoring_actions
from fupin.monitoring import clues
from fupin.monitoring.models import Classification, ClassificationRound
from fupin.procedures import engine, exclusions
from fupin.procedures.models import AnnualAdjustment, ExclusionRule, Notice, Objection
from fupin.procedures.tests.base import png
from fupin.projects import budgets, funds, library, links, notices
from fupin.projects.models import FundSource
from fupin.regions.models import Region
from fupin.registry import actions as registry_actions
from fupin.test import TOWNSHIP_A, VILLAGE_A, BaseTestCase, make_household, person_id
from fupin.transfer import pipeline
from fupin.transfer.spec import get_spec


def all_url_patterns(resolver: URLResolver | None = None, namespace: str = ""):
    """(qualified name, pattern) for every named URL in the project."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_url_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


PUBLIC = {"accounts:login", "set_language", "monitoring:self_report", "monitoring:status"}

# URLs that name one record: the kwargs of a record in township A, set up in setUp.
OBJECT_URLS = {
    "regions:detail": lambda t: {"code": TOWNSHIP_A},
    "regions:designation": lambda t: {"code": VILLAGE_A},
    "accounts:user_detail": lambda t: {"pk": t.alice.pk},
    "accounts:user_reset_password": lambda t: {"pk": t.alice.pk},
    "accounts:user_unlock": lambda t: {"pk": t.alice.pk},
    "accounts:user_reset_second_factor": lambda t: {"pk": t.alice.pk},
    "transfer:detail": lambda t: {"pk": t.batch_a.pk},
    "transfer:commit": lambda t: {"pk": t.batch_a.pk},
    "transfer:report": lambda t: {"pk": t.batch_a.pk},
    "jobs:retry": lambda t: {"pk": t.job_a.pk},
    "jobs:result": lambda t: {"pk": t.job_a.pk},
    "registry:household": lambda t: {"pk": t.household_a.pk},
    "registry:edit": lambda t: {"pk": t.household_a.pk},
    "registry:member_create": lambda t: {"pk": t.household_a.pk},
    "registry:member_edit": lambda t: {"pk": t.household_a.members.get().pk},
    "registry:income_create": lambda t: {"pk": t.household_a.pk},
    "registry:income_edit": lambda t: {"pk": t.household_a.pk, "year": 2024},
    **{
        f"procedures:{name}": lambda t: {"pk": t.procedure_batch_a.pk}
        for name in ("batch", "add", "complete", "send_back", "notice", "notice_pdf", "objection", "evidence_add")
    },
    "procedures:answer": lambda t: {"pk": t.objection_a.pk},
    "procedures:evidence": lambda t: {"pk": t.evidence_a.pk},
    "procedures:case": lambda t: {"pk": t.case_a.pk},
    "procedures:drop": lambda t: {"pk": t.case_a.pk},
    "procedures:member_flags": lambda t: {"pk": t.household_a.members.get().pk},
    "procedures:flag_clear": lambda t: {"pk": t.flag_a.pk},
    "procedures:flag_file": lambda t: {"pk": t.flag_a.pk},
    "procedures:adjustment": lambda t: {"pk": t.adjustment_a.pk},
    "assistance:unit": lambda t: {"pk": t.unit_a.pk},
    "assistance:unit_edit": lambda t: {"pk": t.unit_a.pk},
    "assistance:cadre": lambda t: {"pk": t.cadre_a.pk},
    "assistance:cadre_edit": lambda t: {"pk": t.cadre_a.pk},
    "assistance:household": lambda t: {"pk": t.household_a.pk},
    "assistance:pairing_end": lambda t: {"pk": t.pairing_a.pk},
    "assistance:visit_create": lambda t: {"pk": t.household_a.pk},
    "assistance:visit_photo": lambda t: {"pk": t.visit_a.photos.get().pk},
    "assistance:plan_current": lambda t: {"pk": t.household_a.pk},
    "assistance:plan": lambda t: {"pk": t.household_a.pk, "year": 2026},
    "assistance:measure_edit": lambda t: {"pk": t.measure_a.pk},
    "assistance:card": lambda t: {"pk": t.household_a.pk},
    "assistance:village_cards": lambda t: {},  # ?village=…: a village outside the user's region is 404
    **{
        f"assistance:{name}": lambda t: {"pk": t.team_a.pk}
        for name in ("team", "team_edit", "team_member_add", "spot_check_add", "attendance_edit")
    },
    "assistance:team_member_end": lambda t: {"pk": t.team_a.members.get().pk},
    "assistance:leader_link_edit": lambda t: {"pk": t.link_a.pk},
    **{
        f"projects:{name}": lambda t: {"pk": t.project_a.pk}
        for name in ("project", "edit", "advance", "allocate", "disburse")
    },
    "projects:reverse": lambda t: {"pk": t.project_a.disbursements.get().pk},
    "projects:link_add": lambda t: {"pk": t.project_a.pk},
    "projects:link_remove": lambda t: {"pk": t.project_a.benefit_links.get().pk},
    "projects:stage_document": lambda t: {"pk": t.project_a.stage_records.get(stage="approved").pk},
    "projects:budget_edit": lambda t: {"pk": t.budget_a.pk},
    "projects:notice_add": lambda t: {"pk": t.project_a.pk},
    "projects:notice_draft": lambda t: {"pk": t.project_a.pk, "kind": "before"},
    "projects:notice_print": lambda t: {"pk": t.notice_a.pk},
    "projects:notice_photo": lambda t: {"pk": t.notice_a.photos.get().pk},
    **{f"microcredit:{name}": lambda t: {"pk": t.loan_a.pk} for name in ("loan", "repay", "subsidy", "extend")},
    "microcredit:reverse": lambda t: {"pk": t.loan_a.entries.get().pk},
    "monitoring:spending": lambda t: {"pk": t.household_a.pk},
    "monitoring:report_risk": lambda t: {"pk": t.household_a.pk},
    "monitoring:clue": lambda t: {"pk": t.clue_a.pk},
    "monitoring:clue_photo": lambda t: {"pk": t.clue_a.pk},
    "monitoring:clue_act": lambda t: {"pk": t.clue_a.pk, "action": "close"},
    "monitoring:village_qr": lambda t: {"code": VILLAGE_A},
    "monitoring:case_edit": lambda t: {"pk": t.monitoring_case_a.pk},
    "monitoring:decide": lambda t: {"pk": t.classification_a.pk},
    **{
        f"crosscheck:{name}": lambda t: {"pk": t.finding_a.pk}
        for name in ("finding", "finding_pass", "finding_verify", "finding_removal", "finding_evidence")
    },
}

# URLs that list or count: what township A's records would show there, which B must not see.
LIST_URLS = {
    "home": ({}, ""),
    "inbox": ({}, ""),
    "inbox_count": ({}, ""),
    "jobs:list": ({}, ""),
    "procedures:back_entries": ({}, ""),
    "regions:index": ({}, ""),
    "regions:options": ({}, "?q=杨埠"),
    "accounts:user_list": ({}, "?q=alice"),
    "audit:list": ({}, ""),
    "audit:export": ({}, ""),
    "audit:head": ({}, ""),
    "transfer:list": ({}, ""),
    "transfer:upload": ({"kind": "poor_designation"}, ""),
    "transfer:template": ({"kind": "poor_designation"}, ""),
    "accounts:user_create": ({}, ""),
    "accounts:password_change": ({}, ""),
    "accounts:second_factor": ({}, ""),
    "accounts:logout": ({}, ""),
    "registry:list": ({}, "?q=甲"),
    "registry:create": ({}, ""),
    "registry:quality": ({}, ""),
    "registry:export": ({"fmt": "xlsx"}, ""),
    "codes:kinds": ({}, ""),
    "codes:list": ({"kind": "poverty_cause"}, ""),
    "codes:create": ({"kind": "poverty_cause"}, ""),  # 403 for a township's admin: national data
    "codes:edit": ({"kind": "poverty_cause", "pk": 1}, ""),
    "policy:items": ({}, ""),
    "policy:values": ({"name": "western_region"}, ""),
    "policy:create": ({"name": "western_region"}, ""),
    # 403 for a township admin: a national value (pk 1: the first default installed, policy.items.ITEMS order)
    "policy:edit": ({"name": "monitoring_line", "pk": 1}, ""),
    "procedures:list": ({}, ""),
    "procedures:create": ({}, ""),
    "procedures:definitions": ({}, ""),
    "procedures:region_exit": ({}, ""),
    "procedures:adjustments": ({}, ""),
    "procedures:step_edit": ({"pk": 1}, ""),  # 403 for a township's admin: a national step
    "procedures:step_create": ({"pk": 1}, ""),
    "assistance:units": ({}, ""),
    "assistance:unit_create": ({}, ""),
    "assistance:cadres": ({}, ""),
    "assistance:cadre_create": ({}, ""),
    "assistance:unpaired": ({}, ""),
    "assistance:mine": ({}, ""),
    "assistance:overdue": ({}, ""),
    "assistance:coverage": ({}, "?year=2026"),
    "assistance:teams": ({}, "?show=all"),
    "assistance:team_create": ({}, ""),
    "assistance:attendance": ({}, "?month=2024-03"),
    "assistance:leader_links": ({}, "?show=all"),
    "projects:list": ({}, ""),
    "projects:create": ({}, ""),
    "projects:dispatch": ({}, "?region=411723"),
    "projects:unlinked": ({}, ""),
    "projects:fund_sources": ({}, "?year=2024"),
    "projects:budget_create": ({}, ""),
    "microcredit:list": ({}, "?bank=信用社"),
    "microcredit:create": ({}, "?household_no=A1"),
    "microcredit:figures": ({}, "?region=411723"),
    "procedures:population": ({}, "?region=411723&year=2019"),
    "monitoring:clues": ({}, "?state=all"),
    "monitoring:clue_export": ({}, "?state=all"),
    "monitoring:screening": ({}, ""),
    "monitoring:figures": ({}, ""),
    "monitoring:help": ({}, "?show=all"),
    "monitoring:rounds": ({}, ""),
    "monitoring:cases_export": ({}, ""),
    "monitoring:cases": ({}, "?status=all"),
    "crosscheck:kinds": ({}, ""),
    "crosscheck:loads": ({}, ""),
    "crosscheck:findings": ({}, "?state=all"),
    "crosscheck:findings_export": ({}, "?state=all"),
    "crosscheck:summary": ({}, ""),
    "crosscheck:outbound": ({}, ""),
    "crosscheck:compare": ({}, ""),
    # configuration, not a region's records: a township's administrator edits its province's own only
    "crosscheck:kind_create": ({}, ""),
    "crosscheck:kind_edit": ({"code": "vehicles"}, ""),
    "crosscheck:rule_create": ({"kind": "vehicles"}, ""),
    "crosscheck:rule_edit": ({"code": "vehicle"}, ""),
    # the county's round, seen by each township through its own households
    "monitoring:round": (lambda t: {"pk": t.classification_a.round_id}, "?show=all"),
    "monitoring:round_close": (lambda t: {"pk": t.classification_a.round_id}, ""),
    "monitoring:figures_export": ({}, ""),
    "policy:calendar": ({}, ""),
}


def list_kwargs(test, kwargs) -> dict:
    """A list URL's arguments: fixed, or read from the test's records (a county's object seen by all)."""
    return kwargs(test) if callable(kwargs) else kwargs


def text_of(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        content = b"".join(response.streaming_content) if response.streaming else response.content
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(c) for ws in workbook for row in ws.iter_rows(values_only=True) for c in row)
    return response.content.decode()


class TownshipARecords(BaseTestCase):
    """A record of every kind in township A (a household with a member's ID number and a bank account)."""

    def setUp(self):
        # Records of township A: a user's change history, a designation import, audit rows.
        account_actions.update_user(
            by=self.admin_a,
            user=self.alice,
            full_name="阿丽斯",
            phone="13800000000",
            role=self.alice.role,
            region=self.alice.region,
            is_active=True,
        )
        content = "区划代码,名称,是否贫困,认定年份,退出年份\n411723101200,,是,2014,\n".encode()
        self.household_a = make_household(
            self.admin_a, members=[{"name": "甲村户主", "id_number": person_id("1970-01-01", 11)}]
        )
        registry_actions.save_income(by=self.admin_a, household=self.household_a, year=2024, items={"wage_income": 1})
        self.batch_a = pipeline.stage(
            spec=get_spec("poor_designation"), filename="杨埠镇名单.csv", content=content, by=self.admin_a
        )
        self.job_a = Job.objects.create(
            kind="import_check",
            title="杨埠镇名单.csv",
            owner=self.admin_a,
            region_code=TOWNSHIP_A,
            state=Job.State.FAILED,
            finished_at=timezone.now(),
        )
        self.job_a.result.save("杨埠镇名单-结果.csv", ContentFile(b"x"))
        self.procedure_records_of_township_a()
        self.unit_a = assistance_actions.save_unit(
            by=self.admin_a,
            unit=None,
            values={"name": "杨埠镇农业服务中心", "level": "township", "region_id": TOWNSHIP_A},
        )
        self.cadre_a = assistance_actions.save_cadre(
            by=self.admin_a, cadre=None, values={"unit_id": self.unit_a.pk, "name": "阿丽斯", "phone": "13800000000"}
        )
        self.pairing_a, _warnings = assistance_actions.pair(
            by=self.admin_a, household=self.household_a, cadre=self.cadre_a, start_on=dt.date(2024, 1, 1)
        )
        self.clue_a, _new = clues.report(
            clues.Report(
                channel="cadre", region_id=VILLAGE_A, name="甲村户主", said="甲村户主住院", household=self.household_a
            ),
            by=self.admin_a,
            photo=png(),
        )
        round_of_county = ClassificationRound.objects.create(
            region_id="411723", year=2025, opened_on=dt.date(2026, 1, 1), opened_by=self.county_operator, assessed=1
        )
        self.classification_a = Classification.objects.create(
            round=round_of_county,
            household=self.household_a,
            region_id=VILLAGE_A,
            criteria=[{"key": "income", "name": "人均纯收入", "value": "甲村户主", "threshold": "", "passed": True}],
            suggested="exit",
        )
        self.monitoring_case_a = monitoring_actions.open_case(
            by=self.admin_a,
            household=self.household_a,
            category="1",
            risks=["01"],
            identified_on=dt.date(2026, 1, 1),
            channel="cadre",
        )
        self.finding_a = self.finding_of_township_a()
        plan = plans.save_plan(by=self.admin_a, household=self.household_a, year=2026, goal="甲村户主增收")
        self.measure_a = plans.save_measure(
            by=self.admin_a, plan=plan, values={"measure_type_id": MeasureType.objects.get(code="dividend").pk}
        )
        self.visit_a = visits.log_visit(
            by=self.admin_a,
            household=self.household_a,
            cadre=self.cadre_a,
            visited_on=dt.date(2024, 2, 1),
            items=["policy"],
            note="",
            photos=[png()],
        )
        self.team_a = teams.save_team(
            by=self.admin_a,
            team=None,
            values={"village_id": VILLAGE_A, "unit_id": self.unit_a.pk, "start_on": dt.date(2024, 1, 1)},
        )
        member = teams.add_member(
            by=self.admin_a, team=self.team_a, cadre=self.cadre_a, role="first_secretary", start_on=dt.date(2024, 1, 1)
        )
        teams.record_attendance(by=self.admin_a, team=self.team_a, month=dt.date(2024, 3, 1), days={member.pk: 22})
        self.link_a = teams.save_leader_link(
            by=self.admin_a,
            link=None,
            values={
                "leader_name": "阿丽斯",
                "leader_post": "镇长",
                "region_id": TOWNSHIP_A,
                "start_on": dt.date(2024, 1, 1),
            },
        )

        self.project_records_of_township_a()
        self.loan_a = loans.issue(
            by=self.admin_a,
            household=self.household_a,
            values={
                "borrower_id": self.household_a.members.get().pk,
                "bank": "杨埠镇名单信用社",
                "contract_no": "1",
                "amount": 1000,
                "issued_on": dt.date(2024, 1, 1),
                "term_months": 12,
                "rate": 4,
                "subsidy_rate": 100,
                "purpose": "planting",
            },
        )
        loans.repay(by=self.admin_a, loan=self.loan_a, amount=100, paid_on=dt.date(2024, 2, 1))

    def project_records_of_township_a(self):
        """A village project, approved with its document, allocated and paid once."""
        self.project_a = library.save_project(
            by=self.admin_a,
            project=None,
            values={
                "name": "杨埠镇名单光伏项目",
                "year": 2024,
                "category": "industrial",
                "work_type": "new",
                "level": "village",
                "region_id": VILLAGE_A,
                "responsible_unit": "杨埠镇人民政府",
                "responsible_person": "阿丽斯",
                "content": "光伏",
                "performance_targets": "带动30户",
                "total_investment": 1000,
            },
        )
        library.enter_library(by=self.admin_a, project=self.project_a, on=dt.date(2024, 1, 1), note="")
        library.advance(
            by=self.admin_a, project=self.project_a, stage="approved", on=dt.date(2024, 1, 2), document=png()
        )
        source = FundSource.objects.get(code="central_special").pk
        funds.allocate(by=self.admin_a, project=self.project_a, source_id=source, amount=1000)
        funds.disburse(
            by=self.admin_a,
            project=self.project_a,
            source_id=source,
            amount=100,
            paid_on=dt.date(2024, 2, 1),
            voucher_no="1",
        )
        links.link(by=self.admin_a, project=self.project_a, household_no=self.household_a.household_no, kind="dividend")
        self.notice_a = notices.record_posting(
            by=self.admin_a,
            project=self.project_a,
            kind="before",
            posted_on=dt.date(2024, 1, 3),
            ended_on=dt.date(2024, 1, 12),
            place="杨埠镇名单村务公开栏",
            photos=[png()],
        )
        self.budget_a = budgets.save_budget(
            by=self.admin_a,
            budget=None,
            values={"source_id": source, "region_id": TOWNSHIP_A, "year": 2024, "amount": 1, "document": "杨埠镇名单"},
        )

    def finding_of_township_a(self):
        """A vehicle list loaded by township A's user, its comparison, and the finding verified with evidence."""
        spec = spec_of(DatasetKind.objects.get(code="vehicles"))
        content = f"身份证号,姓名,车辆类型\n{person_id('1970-01-01', 11)},甲村户主,小型轿车\n".encode()
        batch = pipeline.stage(
            spec=spec, filename="杨埠镇名单车辆.csv", content=content, by=self.admin_a, data_date=dt.date(2026, 1, 1)
        )
        pipeline.commit(batch=batch, by=self.admin_a)
        comparison.compare(by=self.admin_a)
        finding = Finding.objects.get(household=self.household_a)
        verification.verify(
            by=self.admin_a, finding=finding, result="refuted", note="甲村户主的车已过户", evidence=png()
        )
        return finding

    def procedure_records_of_township_a(self):
        """A village batch with a case, evidence, a notice with an objection, and a member's mark."""
        applicant = make_household(
            self.alice,
            household_no="A2",
            poverty_status="applicant",
            members=[{"name": "甲村户主", "id_number": person_id("1971-01-01", 13)}],
        )
        village = Region.objects.get(code=VILLAGE_A)
        self.procedure_batch_a = engine.start_batch(by=self.alice, kind="identification", region=village, year=2026)
        self.case_a = engine.add_case(by=self.alice, batch=self.procedure_batch_a, version=0, subject=applicant)
        self.evidence_a = engine.attach_evidence(
            by=self.alice, batch=self.procedure_batch_a, version=1, step=self.procedure_batch_a.step, upload=png()
        )
        notice = Notice.objects.create(
            batch=self.procedure_batch_a,
            step=self.procedure_batch_a.step,
            posted_on=dt.date(2026, 1, 5),
            ends_on=dt.date(2026, 1, 11),
            place="村务公开栏",
            days=7,
            counts_weekends=True,
        )
        self.objection_a = Objection.objects.create(
            notice=notice, raised_on=dt.date(2026, 1, 6), content="甲村户主有车", recorded_by=self.alice
        )
        self.adjustment_a = AnnualAdjustment.objects.create(
            region_id="411723", year=2026, opened_on=dt.date(2026, 1, 1), opened_by=self.county_operator
        )
        self.flag_a = exclusions.set_flag(
            by=self.alice,
            member=self.household_a.members.get(),
            rule=ExclusionRule.objects.get(code="owns_vehicle"),
            note="甲村户主名下有小汽车",
            source="公安交管",
            upload=png(),
        )


class AccessWalkTestCase(TownshipARecords):
    def test_it_knows_every_url(self):
        names = {name for name, _pattern in all_url_patterns()}
        self.assertEqual(names - PUBLIC - OBJECT_URLS.keys() - LIST_URLS.keys(), set())

    def test_every_view_declares_an_access_policy(self):
        for name, pattern in all_url_patterns():
            with self.subTest(name):
                self.assertTrue(hasattr(pattern.callback, "access_policy"), f"{name} has no access policy")
                self.assertEqual(pattern.callback.access_policy == "public", name in PUBLIC)

    def test_anonymous_users_are_sent_to_login(self):
        login = reverse("accounts:login")
        for name, make_kwargs in OBJECT_URLS.items():
            with self.subTest(name):
                response = self.client.get(reverse(name, kwargs=make_kwargs(self)))
                self.assertRedirects(
                    response, f"{login}?next={reverse(name, kwargs=make_kwargs(self))}", fetch_redirect_response=False
                )
        for name, (kwargs, _query) in LIST_URLS.items():
            with self.subTest(name):
                self.assertEqual(self.client.get(reverse(name, kwargs=list_kwargs(self, kwargs))).status_code, 302)

    def test_the_owner_can_open_every_record(self):
        self.client.force_login(self.admin_a)
        for name in (
            "regions:detail",
            "regions:designation",
            "accounts:user_detail",
            "transfer:detail",
            "transfer:report",
            "jobs:result",
            "registry:household",
            "registry:edit",
            "registry:member_edit",
            "registry:income_edit",
            "procedures:batch",
            "procedures:case",
            "procedures:evidence",
            "procedures:member_flags",
            "procedures:flag_file",
            "assistance:unit",
            "assistance:cadre",
            "assistance:household",
            "assistance:visit_create",
            "assistance:visit_photo",
            "assistance:plan",
            "assistance:measure_edit",
            "assistance:team",
            "assistance:team_edit",
            "assistance:attendance_edit",
            "assistance:leader_link_edit",
            "projects:project",
            "projects:edit",
            "projects:stage_document",
            "microcredit:loan",
            "projects:notice_draft",
            "projects:notice_print",
            "projects:notice_photo",
            "monitoring:spending",
        ):
            with self.subTest(name):
                self.assertEqual(self.client.get(reverse(name, kwargs=OBJECT_URLS[name](self))).status_code, 200)

    def test_a_sibling_township_gets_404_for_every_record_by_get_and_post(self):
        before_events = AuditEvent.objects.count()
        self.client.force_login(self.admin_b)
        for name, make_kwargs in OBJECT_URLS.items():
            url = reverse(name, kwargs=make_kwargs(self))
            with self.subTest(name):
                self.assertEqual(self.client.get(url).status_code in (404, 405), True)
                self.assertEqual(
                    self.client.post(
                        url,
                        {
                            "password": "Another-Pass-99",
                            "full_name": "x",
                            "role": "township_operator",
                            "region": "411723102",
                            "designated": "on",
                            "designated_year": "2014",
                        },
                    ).status_code,
                    404,
                )
        # nothing of A's changed, and B's attempts wrote nothing
        self.alice.refresh_from_db()
        self.assertEqual((self.alice.full_name, self.alice.region_id), ("阿丽斯", TOWNSHIP_A))
        self.assertTrue(self.alice.check_password("Correct-Horse-42"))
        self.assertFalse(Region.objects.get(code=VILLAGE_A).is_poor_village)
        self.household_a.refresh_from_db()
        self.assertEqual((self.household_a.head_name, self.household_a.size), ("甲村户主", 1))
        self.assertEqual(AuditEvent.objects.count(), before_events)

    def test_a_sibling_township_sees_none_of_its_neighbours_records_in_lists(self):
        self.client.force_login(self.admin_b)
        for name, (kwargs, query) in LIST_URLS.items():
            if name == "accounts:logout":
                continue
            with self.subTest(name):
                response = self.client.get(reverse(name, kwargs=list_kwargs(self, kwargs)) + query, follow=True)
                if name in ("monitoring:screening", "monitoring:round_close", "crosscheck:compare"):  # posted only
                    self.assertEqual(response.status_code, 405)
                    continue
                if name in (
                    "codes:create",
                    "codes:edit",
                    "policy:edit",
                    "procedures:step_edit",
                    "procedures:step_create",
                    "crosscheck:kind_edit",
                    "crosscheck:rule_edit",
                ):
                    self.assertEqual(response.status_code, 403)
                    continue
                self.assertEqual(response.status_code, 200)
                text = text_of(response)
                # alice's new name and phone, the batch's file name, the township's name
                for marker in ("阿丽斯", "13800000000", "杨埠镇名单", "杨埠镇", "甲村户主", "411723197001"):
                    self.assertNotIn(marker, text)

    def test_an_operator_without_the_permission_is_refused(self):
        self.client.force_login(self.alice)
        for name in (
            "accounts:user_list",
            "accounts:user_create",
            "audit:list",
            "audit:export",
            "audit:head",
            "codes:kinds",
        ):
            with self.subTest(name):
                self.assertEqual(self.client.get(reverse(name)).status_code, 403)
        for name in ("policy:create",):
            with self.subTest(name):
                self.assertEqual(self.client.get(reverse(name, kwargs={"name": "poverty_line"})).status_code, 403)
        self.assertEqual(self.client.get(reverse("regions:designation", kwargs={"code": VILLAGE_A})).status_code, 403)

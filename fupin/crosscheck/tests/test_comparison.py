"""The comparison in the database: matching by normalised ID number against current members (and, for
deaths, those who left within the year), the rule's condition, one finding per rule and person,
idempotent re-runs, reopening on changed values, a name that differs shown as a doubt; and the
verification workflow through the pages with each actor, its bad input, and what a confirmed finding
does to identification, monitoring, the register and removal."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent, EventType
from fupin.crosscheck import comparison, verification
from fupin.crosscheck.models import DatasetKind, Finding, Result
from fupin.crosscheck.sheets import spec_of
from fupin.lib import inbox
from fupin.monitoring.models import Channel, Clue
from fupin.procedures import exclusions
from fupin.procedures.models import Case
from fupin.registry.models import Member
from fupin.test import (
    COUNTY,
    PASSWORD,
    TOWNSHIP_A,
    VILLAGE_A,
    VILLAGE_B,
    BaseTestCase,
    make_household,
    make_user,
    person_id,
)
from fupin.transfer import pipeline

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
ZHANG = person_id("1970-01-01", 11)
LI = person_id("1965-05-05", 13)
WANG = person_id("1980-02-02", 15)
ZHAO = person_id("1975-03-03", 17)


def fifteen(eighteen: str) -> str:
    return eighteen[:6] + eighteen[8:17]


class ComparisonTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.loader = make_user("loader", Role.COUNTY_OPERATOR, COUNTY)
        cls.village_operator = make_user("village_a", Role.VILLAGE_OPERATOR, VILLAGE_A)
        cls.village_b_operator = make_user("village_b", Role.VILLAGE_OPERATOR, VILLAGE_B)
        cls.household = make_household(
            cls.alice,
            members=[{"name": "张三", "id_number": ZHANG}, {"name": "李四", "id_number": LI, "relation_to_head": "02"}],
        )
        cls.other = make_household(cls.bob, village=VILLAGE_B, members=[{"name": "王五", "id_number": WANG}])
        left = make_household(cls.alice, members=[{"name": "赵六", "id_number": ZHAO}])
        member = left.members.get()
        member.left_on = timezone.localdate() - dt.timedelta(days=30)
        member.leave_reason = "02"
        member.save()

    def load(self, code: str, header: str, *lines: str, day=dt.date(2026, 10, 1)):
        spec = spec_of(DatasetKind.objects.get(code=code))
        content = (header + "\n" + "".join(line + "\n" for line in lines)).encode()
        batch = pipeline.stage(spec=spec, filename=f"{code}-{day}.csv", content=content, by=self.loader, data_date=day)
        with self.captureOnCommitCallbacks(execute=True):  # committing runs the comparison
            pipeline.commit(batch=batch, by=self.loader)
        return batch

    def vehicles(self, *lines: str, day=dt.date(2026, 10, 1)):
        return self.load("vehicles", "身份证号,姓名,车辆类型,号牌号码,登记日期", *lines, day=day)

    def test_a_hit_is_a_finding_with_the_rule_the_row_and_its_values(self):
        self.vehicles(
            f"{ZHANG},张三,小型轿车,豫Q12345,2025-01-01", f"{LI},李四,摩托车,,", "110101199001011234,无名,轿车,,"
        )
        finding = Finding.objects.get()
        self.assertEqual((finding.member.name, finding.rule.code, finding.row_no), ("张三", "vehicle", 2))
        self.assertEqual(finding.region_id, VILLAGE_A)
        self.assertEqual(finding.state, Finding.State.TOWNSHIP)
        said = "车辆登记：张三 名下有小型轿车（豫Q12345），登记于 2025-01-01。"
        self.assertEqual(verification.explanation(finding), said)
        self.assertGreater(finding.due_on, timezone.localdate())

    def test_a_fifteen_digit_number_matches_and_a_different_name_is_a_doubt(self):
        self.vehicles(f"{fifteen(LI)},李 四,小型轿车,,")
        finding = Finding.objects.get()
        self.assertEqual(finding.member.id_number, LI)
        self.assertTrue(finding.name_differs)
        self.client.login(username="alice", password=PASSWORD)
        self.assertContains(self.client.get(finding.get_absolute_url()), "姓名不一致")

    def test_rerunning_on_the_same_data_writes_nothing_and_changed_values_reopen_a_verified_finding(self):
        self.vehicles(f"{ZHANG},张三,小型轿车,豫Q12345,2025-01-01")
        again = comparison.compare(by=self.loader)
        self.assertEqual((again["new"], again["changed"]), (0, 0))
        finding = Finding.objects.get()
        verification.verify(
            by=self.alice,
            finding=finding,
            result=Result.REFUTED,
            note="车辆已过户",
            evidence=SimpleUploadedFile("a.png", PNG),
        )
        # the next month's list: the same values for this person (another file, so not refused as loaded)
        self.vehicles(f"{ZHANG},张三,小型轿车,豫Q12345,2025-01-01", f"{LI},李四,摩托车,,", day=dt.date(2026, 11, 1))
        finding.refresh_from_db()
        self.assertEqual((finding.state, finding.result, finding.reopened), (Finding.State.VERIFIED, "refuted", 0))
        self.vehicles(f"{ZHANG},张三,中型客车,豫Q99999,2026-11-01", day=dt.date(2026, 12, 1))
        finding.refresh_from_db()
        self.assertEqual((finding.state, finding.result, finding.reopened), (Finding.State.TOWNSHIP, "", 1))
        # its history: found by the loader's comparison, verified by alice, reopened by the comparison
        kinds = list(finding.history.order_by("history_date", "history_id").values_list("history_type", "history_user"))
        self.assertEqual(kinds, [("+", self.loader.pk), ("~", self.alice.pk), ("~", self.loader.pk)])
        self.assertIn("中型客车", verification.explanation(finding))
        self.assertEqual(Finding.objects.count(), 1)

    def test_deaths_match_members_who_left_recently_other_kinds_do_not(self):
        self.load("population", "身份证号,姓名,变动类型,变动日期", f"{ZHAO},赵六,死亡,2026-10-02")
        self.vehicles(f"{ZHAO},赵六,小型轿车,,")
        self.assertEqual(list(Finding.objects.values_list("rule__code", flat=True)), ["death"])

    def test_a_province_rule_applies_only_to_its_province(self):
        from fupin.crosscheck.models import Rule

        Rule.objects.filter(code="vehicle").update(region_code="42")  # another province's own rule
        self.vehicles(f"{ZHANG},张三,小型轿车,,")
        self.assertFalse(Finding.objects.exists())

    # the workflow through the pages

    def post_verify(self, finding, **data):
        values = {"result": "confirmed", "note": "入户核实，情况属实", "evidence": SimpleUploadedFile("证明.png", PNG)}
        return self.client.post(reverse("crosscheck:finding_verify", args=[finding.pk]), values | data, follow=True)

    def test_township_passes_village_verifies_a_suspect_and_identification_reads_it(self):
        self.vehicles(f"{ZHANG},张三,小型轿车,豫Q12345,2025-01-01")
        finding = Finding.objects.get()
        titles = [i.title for _s, items in inbox.gather(self.alice, timezone.localdate()) for i in items]
        self.assertIn("核实疑点或转村核实", titles)
        self.client.login(username="village_a", password=PASSWORD)
        refused = self.client.post(reverse("crosscheck:finding_pass", args=[finding.pk]), follow=True)
        self.assertContains(refused, "由乡镇（或县）将疑点转村核实")
        self.client.login(username="alice", password=PASSWORD)
        page = self.client.get(finding.get_absolute_url())
        self.assertContains(page, "豫Q12345")
        self.assertTrue(
            AuditEvent.objects.filter(event_type=EventType.SENSITIVE_VIEW, target_id=str(finding.pk)).exists()
        )
        self.client.post(reverse("crosscheck:finding_pass", args=[finding.pk]))
        finding.refresh_from_db()
        self.assertEqual(finding.state, Finding.State.VILLAGE)
        self.client.login(username="village_b", password=PASSWORD)  # another village: not theirs
        self.assertEqual(self.post_verify(finding).status_code, 404)
        self.client.login(username="village_a", password=PASSWORD)
        page = self.post_verify(finding, evidence="")
        self.assertContains(page, "佐证")  # no evidence: refused, nothing saved
        finding.refresh_from_db()
        self.assertEqual(finding.state, Finding.State.VILLAGE)
        page = self.post_verify(finding)
        self.assertContains(page, "核实结果已保存")
        finding.refresh_from_db()
        self.assertEqual((finding.state, finding.result), (Finding.State.VERIFIED, Result.CONFIRMED))
        hits = {c["rule"]: c for c in exclusions.check(self.household)}
        self.assertTrue(hits["owns_vehicle"]["hit"])
        self.assertIn("小型轿车", hits["owns_vehicle"]["facts"][0])
        self.assertContains(self.client.get(self.household.get_absolute_url()), "名下有非农用机动车")

    def test_a_confirmed_suspect_is_proposed_into_a_removal_batch(self):
        self.vehicles(f"{ZHANG},张三,小型轿车,,")
        finding = Finding.objects.get()
        self.client.login(username="village_a", password=PASSWORD)
        self.post_verify(finding)
        page = self.client.post(reverse("crosscheck:finding_removal", args=[finding.pk]), follow=True)
        self.assertContains(page, "清退")
        case = Case.objects.get()
        self.assertEqual(case.subject_id, self.household.pk)
        self.assertIn("小型轿车", case.reason)
        again = self.client.post(reverse("crosscheck:finding_removal", args=[finding.pk]), follow=True)
        self.assertContains(again, "已根据此疑点列入清退")
        self.assertEqual(Case.objects.count(), 1)

    def test_a_confirmed_warning_becomes_a_department_clue(self):
        header = "身份证号,姓名,结算期间,医疗总费用,个人自付费用"
        self.load("medical_insurance", header, f"{LI},李四,2026,80000,20000.01")
        finding = Finding.objects.get()
        self.client.login(username="alice", password=PASSWORD)
        self.post_verify(finding)
        clue = Clue.objects.get()
        self.assertEqual((clue.channel, clue.household_id), (Channel.DEPARTMENT, self.household.pk))
        self.assertIn("20000.01", clue.said)
        self.assertEqual(clue.risks, ["01"])

    def test_medical_costs_are_summed_over_the_persons_rows_and_compared_strictly(self):
        header = "身份证号,姓名,结算期间,医疗总费用,个人自付费用"
        self.load(
            "medical_insurance",
            header,
            f"{LI},李四,2026-01,30000,12000.00",
            f"{LI},李四,2026-06,20000,8000.01",  # 20,000.01 in the twelve months: above
            f"{ZHANG},张三,2026-02,30000,12000.00",
            f"{ZHANG},张三,2026-07,20000,8000.00",  # 20,000.00: equal is not above
            f"{ZHANG},张三,2026-08,100,不详",  # not a number: not added
        )
        finding = Finding.objects.get()
        self.assertEqual((finding.member.name, finding.row_no), ("李四", 2))
        self.assertIn("合计 20000.01 元", verification.explanation(finding))

    def test_a_confirmed_death_makes_the_member_leave(self):
        self.load("population", "身份证号,姓名,变动类型,变动日期", f"{LI},李四,死亡,2026-10-02")
        finding = Finding.objects.get()
        self.client.login(username="alice", password=PASSWORD)
        self.post_verify(finding)
        member = finding.member
        member.refresh_from_db()
        self.assertEqual((member.left_on, member.leave_reason), (dt.date(2026, 10, 2), "01"))

    def test_overdue_findings_reach_the_county(self):
        self.vehicles(f"{ZHANG},张三,小型轿车,,")
        Finding.objects.update(due_on=timezone.localdate() - dt.timedelta(days=1))
        titles = [i.title for _s, items in inbox.gather(self.loader, timezone.localdate()) for i in items]
        self.assertIn("疑点逾期未核实", titles)
        self.client.login(username="loader", password=PASSWORD)
        self.assertContains(self.client.get(reverse("crosscheck:findings") + "?overdue=on"), "张三")
        summary = self.client.get(reverse("crosscheck:summary"))
        self.assertContains(summary, "公安交管")
        self.assertEqual(summary.context["departments"][0]["overdue"], 1)

    def test_the_outbound_list_holds_only_the_columns_asked_for_and_is_recorded(self):
        self.client.login(username="loader", password=PASSWORD)
        data = {"fields_wanted": ["id_number", "name"], "department": "县公安局", "purpose": "户籍比对"}
        response = self.client.post(reverse("crosscheck:outbound"), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        event = AuditEvent.objects.filter(event_type=EventType.EXPORT).latest("id")
        self.assertEqual(event.changes["filters"]["department"], "县公安局")
        self.assertEqual(event.changes["rows"], 3)  # the three current members of the county
        refused = self.client.post(reverse("crosscheck:outbound"), data | {"fields_wanted": ["name"]})
        self.assertContains(refused, "请保留身份证号字段")
        self.client.login(username="alice", password=PASSWORD)
        self.assertEqual(self.client.get(reverse("crosscheck:outbound")).status_code, 403)

    def test_verifying_another_township_s_finding_is_refused(self):
        self.vehicles(f"{WANG},王五,小型轿车,,")
        finding = Finding.objects.get()
        self.assertEqual(finding.region_id, VILLAGE_B)
        self.client.login(username="alice", password=PASSWORD)
        self.assertEqual(self.client.get(finding.get_absolute_url()).status_code, 404)
        self.assertEqual(self.post_verify(finding).status_code, 404)
        self.assertNotContains(self.client.get(reverse("crosscheck:findings")), "王五")
        self.assertEqual(TOWNSHIP_A, self.alice.region_id)


class ListQueriesTestCase(BaseTestCase):
    """The findings list, the lists loaded and the summary read a fixed number of queries, whatever
    number of findings and lists they show."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.loader = make_user("loader", Role.COUNTY_OPERATOR, COUNTY)

    def load(self, people: int, day: dt.date) -> None:
        lines = []
        for n in range(people):
            number = person_id("1971-01-01", 101 + 2 * n)
            if not Member.objects.filter(id_number=number).exists():
                make_household(self.alice, members=[{"name": f"名单{n}", "id_number": number}])
            lines.append(f"{number},名单{n},小型轿车,豫Q{n},2025-01-01")
        spec = spec_of(DatasetKind.objects.get(code="vehicles"))
        content = ("身份证号,姓名,车辆类型,号牌号码,登记日期\n" + "\n".join(lines) + "\n").encode()
        batch = pipeline.stage(spec=spec, filename=f"{day}.csv", content=content, by=self.loader, data_date=day)
        with self.captureOnCommitCallbacks(execute=True):
            pipeline.commit(batch=batch, by=self.loader)

    def counts(self) -> list[int]:
        self.client.force_login(self.loader)
        found = []
        for url in (
            reverse("crosscheck:findings") + "?state=all",
            reverse("crosscheck:loads"),
            reverse("crosscheck:summary"),
        ):
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(url).status_code, 200)
            found.append(len(queries))
        return found

    def test_a_fixed_number_of_queries(self):
        self.load(2, dt.date(2026, 9, 1))
        few = self.counts()
        self.load(6, dt.date(2026, 10, 1))
        self.assertEqual(Finding.objects.count(), 6)
        self.assertEqual(self.counts(), few)

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from fupin.audit.models import AuditEvent, EventType
from fupin.procedures import engine
from fupin.procedures.models import Batch, Evidence, Objection
from fupin.procedures.printing import notice_html
from fupin.procedures.tests.base import ProcedureTestCase, png
from fupin.registry import actions
from fupin.registry.models import PovertyStatus
from fupin.test import VILLAGE_A


class WebJourneyTestCase(ProcedureTestCase):
    """Both national procedures, every step through the pages, as each step's own actor."""

    def web_step(self, batch: Batch) -> None:
        batch.refresh_from_db()
        step = batch.step
        self.client.force_login(self.actor(step))
        page = self.client.get(batch.get_absolute_url())
        self.assertContains(page, step.name)
        for document in engine.missing_evidence(batch, step):
            response = self.client.post(
                reverse("procedures:evidence_add", args=[batch.pk]),
                {
                    "evidence-version": self.version(batch),
                    "evidence-step": step.code,
                    "evidence-document": document,
                    "evidence-file": png(),
                },
            )
            self.assertEqual(response.status_code, 302)
        if step.is_notice:
            response = self.client.post(
                reverse("procedures:notice", args=[batch.pk]),
                {
                    "notice-version": self.version(batch),
                    "notice-posted_on": self.next_day().isoformat(),
                    "notice-late_reason": "纸质程序已办，事后录入",
                    "notice-place": "村委会公开栏",
                },
            )
            self.assertEqual(response.status_code, 302)
            self.day = engine.current_notice(batch).ends_on
        response = self.client.post(
            reverse("procedures:complete", args=[batch.pk]),
            {
                "complete-version": self.version(batch),
                "complete-step": step.code,
                "complete-done_on": self.next_day().isoformat(),
                "complete-late_reason": "纸质程序已办，事后录入",
                "complete-note": "按程序办理",
            },
        )
        self.assertEqual(response.status_code, 302)

    def test_identification_from_application_to_registration(self):
        applicants = [self.applicant(11), self.applicant(13)]
        self.client.force_login(self.village_operator)
        response = self.client.post(
            reverse("procedures:create"),
            {"kind": "identification", "region": VILLAGE_A, "year": 2026, "done_on": self.next_day().isoformat()},
        )
        batch = Batch.objects.get()
        self.assertRedirects(response, batch.get_absolute_url())
        page = self.client.get(batch.get_absolute_url())
        self.assertContains(page, "申请人11")  # offered as a candidate
        response = self.client.post(
            reverse("procedures:add", args=[batch.pk]),
            {"add-version": self.version(batch), "add-subjects": [str(h.pk) for h in applicants]},
        )
        self.assertEqual(batch.cases.count(), 2)
        while Batch.objects.get().is_open:
            self.web_step(batch)
        for household in applicants:
            household.refresh_from_db()
            self.assertEqual(household.poverty_status, PovertyStatus.NOT_EXITED)
        page = self.client.get(applicants[0].get_absolute_url())
        self.assertContains(page, "贫困户识别")  # the household page lists its case

    def test_exit_from_proposal_to_marking_exited(self):
        household = self.applicant(11, poverty_status="not_exited")
        actions.save_income(by=self.alice, household=household, year=2020, items={"wage_income": Decimal("9000")})
        batch = self.start("exit", household, year=2020)
        while Batch.objects.get().is_open:
            self.web_step(batch)
        household.refresh_from_db()
        self.assertEqual((household.poverty_status, household.exit_year), (PovertyStatus.EXITED, 2020))
        self.client.force_login(self.alice)
        case_page = self.client.get(batch.cases.get().get_absolute_url())
        self.assertContains(case_page, "达到退出标准")
        self.assertContains(case_page, "脱贫户签字确认书")  # the batch's evidence, shown inline
        self.assertContains(case_page, "9,000.00")

    def test_a_wrong_action_shows_its_reason_and_changes_nothing(self):
        batch = self.start("identification", self.applicant(11))
        self.client.force_login(self.village_operator)
        response = self.client.post(
            reverse("procedures:complete", args=[batch.pk]),
            {
                "complete-version": self.version(batch),
                "complete-step": "application",
                "complete-done_on": self.next_day().isoformat(),
                "complete-late_reason": "纸质程序已办，事后录入",
            },
        )
        self.assertContains(response, "尚需上传佐证材料：申请书", status_code=400)
        stale = self.client.post(
            reverse("procedures:complete", args=[batch.pk]),
            {
                "complete-version": self.version(batch) - 1,
                "complete-step": "application",
                "complete-done_on": self.day.isoformat(),
                "complete-late_reason": "纸质程序已办，事后录入",
            },
        )
        self.assertContains(stale, "刷新", status_code=400)
        self.assertEqual(Batch.objects.get().step.code, "application")

    def test_adding_households_is_all_or_nothing(self):
        from fupin.procedures.models import Case

        exit_batch = self.start("exit", year=2020)
        passing, failing = (
            self.applicant(11, poverty_status="not_exited"),
            self.applicant(13, poverty_status="not_exited"),
        )
        actions.save_income(by=self.alice, household=passing, year=2020, items={"wage_income": Decimal("9000")})
        self.client.force_login(self.village_operator)
        response = self.client.post(
            reverse("procedures:add", args=[exit_batch.pk]),
            {"add-version": self.version(exit_batch), "add-subjects": [str(passing.pk), str(failing.pk)]},
        )
        self.assertContains(response, "未达到2020年退出标准", status_code=400)
        self.assertFalse(Case.objects.exists())

    def test_a_household_is_dropped_from_the_page_with_its_reason(self):
        batch = self.start("identification", self.applicant(11), self.applicant(13))
        case = batch.cases.first()
        self.client.force_login(self.village_operator)
        url = reverse("procedures:drop", args=[case.pk])
        data = {"drop-version": self.version(batch), "drop-reason": "  ", "drop-done_on": self.day.isoformat()}
        page = self.client.post(url, data, follow=True)
        self.assertContains(page, "理由：此项必填")
        case.refresh_from_db()
        self.assertEqual(case.state, "active")
        self.client.post(url, {**data, "drop-reason": "本人撤回申请"})
        case.refresh_from_db()
        self.assertEqual((case.state, case.reason), ("dropped", "本人撤回申请"))


class NoticePageTestCase(ProcedureTestCase):
    def setUp(self):
        super().setUp()
        self.household = self.applicant(11, phone="13912345678", bank_account="6222020200112233445")
        self.batch = self.run_until(self.start("identification", self.household), "village_notice")
        self.prove(self.batch)
        self.notice = self.post(self.batch)

    def test_an_objection_is_recorded_and_answered_through_the_page(self):
        self.client.force_login(self.village_operator)
        response = self.client.post(
            reverse("procedures:objection", args=[self.batch.pk]),
            {
                "objection-version": self.version(self.batch),
                "objection-case": str(self.batch.cases.get().pk),
                "objection-raised_on": self.notice.posted_on.isoformat(),
                "objection-raised_by": "王某",
                "objection-content": "其子在县城经商",
            },
        )
        self.assertEqual(response.status_code, 302)
        objection = Objection.objects.get()
        page = self.client.get(self.batch.get_absolute_url())
        self.assertContains(page, "有 1 条异议尚未核实答复")
        self.client.post(
            reverse("procedures:answer", args=[objection.pk]),
            {
                "answer-version": self.version(self.batch),
                "answer-finding": "经核实，其子为务工人员",
                "answer-answer": "已答复",
                "answer-answered_on": self.notice.ends_on.isoformat(),
            },
        )
        objection.refresh_from_db()
        self.assertTrue(objection.is_answered)
        self.assertFalse(objection.is_upheld)

    def test_the_printed_list_shows_names_and_never_ids_phones_or_accounts(self):
        html = notice_html(self.batch, self.notice)
        member = self.household.members.get()
        self.assertIn(member.name, html)
        for secret in (member.id_number, "13912345678", "6222020200112233445"):
            self.assertNotIn(secret, html)
        self.client.force_login(self.alice)
        response = self.client.get(reverse("procedures:notice_pdf", args=[self.batch.pk]) + f"?notice={self.notice.pk}")
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertTrue(AuditEvent.objects.filter(event_type=EventType.EXPORT, target_type="procedures.batch").exists())

    def test_viewing_evidence_is_audited(self):
        item = Evidence.objects.first()
        self.client.force_login(self.county_reviewer)
        response = self.client.get(item.get_absolute_url())
        self.assertEqual(response["Content-Type"], "image/png")
        self.assertEqual(b"".join(response.streaming_content)[:4], b"\x89PNG")
        self.assertTrue(
            AuditEvent.objects.filter(
                event_type=EventType.SENSITIVE_VIEW, target_id=str(item.pk), actor=self.county_reviewer
            )
        )


class ListAndFlagTestCase(ProcedureTestCase):
    def test_the_list_counts_households_in_one_query_per_page(self):
        for seq in (11, 13, 15):
            self.start("identification", self.applicant(seq))
        self.client.force_login(self.alice)
        with self.assertNumQueries(8):  # session, user, count, the user's region, page; the rest saves the session
            response = self.client.get(reverse("procedures:list"))
        self.assertEqual(len(response.context["page"]), 3)
        self.assertEqual(response.context["page"][0].total, 1)
        self.assertEqual(
            self.client.get(reverse("procedures:list") + "?state=closed").context["page"].paginator.count, 0
        )

    def test_an_identification_case_shows_last_years_income_against_that_years_line(self):
        household = self.applicant(11)
        actions.save_income(by=self.alice, household=household, year=2019, items={"wage_income": Decimal("3000")})
        batch = self.start("identification", household, year=2020)
        income = batch.cases.get().findings["income"]
        self.assertEqual((income["year"], income["line"], income["below"]), (2019, "3218.00", True))
        self.assertEqual(income["policy"][0]["name"], "poverty_line")
        self.client.force_login(self.alice)
        self.assertContains(
            self.client.get(batch.cases.get().get_absolute_url()), "对照2019年 扶贫标准（国家标准） 3,218 元"
        )

    def test_a_mark_set_by_hand_shows_as_an_exclusion_hit_on_the_case(self):
        household = self.applicant(11)
        member = household.members.get()
        self.client.force_login(self.alice)
        rule = self.client.get(reverse("procedures:member_flags", args=[member.pk])).context["form"].fields["rule"]
        owns_vehicle = next(pk for pk, label in rule.choices if "小汽车" in label)
        response = self.client.post(
            reverse("procedures:member_flags", args=[member.pk]),
            {"rule": owns_vehicle, "note": "名下登记轿车一辆（2023年购）", "source": "人工录入", "file": png()},
        )
        self.assertEqual(response.status_code, 302)
        batch = self.start("identification", household)
        case = batch.cases.get()
        self.assertEqual([r["rule"] for r in case.exclusion_hits], ["owns_vehicle"])
        page = self.client.get(case.get_absolute_url())
        self.assertContains(page, "名下登记轿车一辆")
        self.assertEqual(len(page.context["exclusions"]), 8)
        flag = member.flags.get()
        self.client.post(reverse("procedures:flag_clear", args=[flag.pk]), {"reason": "经核实车辆已转让"})
        flag.refresh_from_db()
        self.assertIsNotNone(flag.cleared_at)


class BackEntryTestCase(ProcedureTestCase):
    def proven_batch(self, started: dt.date):
        """A village's identification batch started on `started`, one applicant, its first step proven."""
        batch = engine.start_batch(
            by=self.village_operator,
            kind="identification",
            region=self.region(VILLAGE_A),
            year=started.year,
            done_on=started,
        )
        engine.add_case(by=self.village_operator, batch=batch, version=self.version(batch), subject=self.applicant(11))
        self.prove(batch)
        return batch

    def test_a_step_dated_days_back_needs_a_reason_and_is_marked_and_reported(self):
        today = timezone.localdate()
        batch = self.proven_batch(today - dt.timedelta(days=12))
        self.client.force_login(self.village_operator)
        url = reverse("procedures:complete", args=[batch.pk])
        step = Batch.objects.get(pk=batch.pk).step.code
        days_ago = (today - dt.timedelta(days=10)).isoformat()
        data = {"complete-version": self.version(batch), "complete-step": step, "complete-done_on": days_ago}
        refused = self.client.post(url, data)
        self.assertContains(refused, "已过去 10 天：请填写补录原因", status_code=400)
        self.assertContains(refused, 'href="#id_complete-late_reason"', status_code=400)  # in the summary at the top
        data["complete-late_reason"] = "村里先办纸质程序"
        self.client.post(url, {**data, "complete-version": self.version(batch)})
        event = batch.events.get(action="completed")
        self.assertEqual(event.data["back_entered"], {"days": 10, "allowed": 3, "reason": "村里先办纸质程序"})
        page = self.client.get(batch.get_absolute_url())
        self.assertContains(page, "补录 · 晚 10 天录入")
        self.assertContains(self.client.get(batch.cases.get().get_absolute_url()), "村里先办纸质程序")
        self.client.force_login(self.county_operator)
        report = self.client.get(reverse("procedures:back_entries"))
        self.assertEqual([e.pk for e in report.context["page"]], [event.pk])
        self.client.force_login(self.bob)  # the sibling township sees none of it
        self.assertEqual(list(self.client.get(reverse("procedures:back_entries")).context["page"]), [])

    def test_a_step_entered_within_the_policys_days_is_not_back_entered(self):
        today = timezone.localdate()
        batch = self.proven_batch(today - dt.timedelta(days=12))
        step = Batch.objects.get(pk=batch.pk).step.code
        engine.complete_step(
            by=self.village_operator,
            batch=batch,
            version=self.version(batch),
            step_code=step,
            done_on=today - dt.timedelta(days=3),
            late_reason="",
        )
        self.assertNotIn("back_entered", batch.events.get(action="completed").data)

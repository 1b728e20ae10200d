"""Clues from the four channels: kept with what was said, merged while one is open, deadlines in
working days, passed on and checked by the right level, closed with a reason the reporter reads."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.lib import inbox
from fupin.monitoring import clues, warnings
from fupin.monitoring.clues import Report
from fupin.monitoring.models import Channel, Clue, ClueState
from fupin.policy.models import CalendarDay
from fupin.test import VILLAGE_A, VILLAGE_B, BaseTestCase, make_household, make_user, person_id

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
FRIDAY = dt.datetime(2026, 9, 25, 10, 0, tzinfo=dt.UTC)


def said(**values) -> Report:
    defaults = {"channel": Channel.SELF_REPORT, "region_id": VILLAGE_A, "name": "王五", "said": "老人住院，花费大"}
    return Report(**(defaults | values))


class ClueTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.village_operator = make_user("village_a", Role.VILLAGE_OPERATOR, VILLAGE_A)
        cls.household = make_household(cls.alice, members=[{"name": "王五", "id_number": person_id("1960-03-03", 13)}])

    def test_a_self_report_gets_its_deadlines_in_working_days_over_a_holiday(self):
        CalendarDay.objects.create(day=dt.date(2026, 9, 28), name="测试假日", changed_by=self.national)
        with mock.patch("django.utils.timezone.now", return_value=FRIDAY):
            clue, new = clues.report(said(id_number=person_id("1980-01-01", 15)))
        self.assertTrue(new)
        self.assertEqual(clue.state, ClueState.RECEIVED)
        self.assertEqual(clue.pass_due, dt.date(2026, 9, 30))  # Mon off: Tue, Wed
        self.assertEqual(clue.check_due, dt.date(2026, 10, 5))  # five: Tue to Fri, Mon
        self.assertEqual(clue.decide_due, dt.date(2026, 10, 19))
        self.assertEqual(len(clue.receipt), 10)

    def test_a_registered_person_is_found_by_id_number_and_a_second_report_is_merged(self):
        number = person_id("1960-03-03", 13)
        clue, new = clues.report(said(id_number=number, region_id=VILLAGE_B))
        self.assertEqual(clue.household, self.household)
        self.assertEqual(clue.region_id, VILLAGE_A)  # the household's village, not the one chosen
        again, new = clues.report(
            said(channel=Channel.CADRE, household=self.household, said="入户发现房屋开裂"), by=self.alice
        )
        self.assertFalse(new)
        self.assertEqual(again.pk, clue.pk)
        self.assertEqual(Clue.objects.count(), 1)
        self.assertEqual(again.reports[0]["channel"], Channel.CADRE)
        self.assertEqual(again.reports[0]["by"], "alice")

    def test_bad_reports_are_refused_with_nothing_saved(self):
        with self.assertRaisesMessage(ValidationError, "校验码"):
            clues.report(said(id_number=person_id("1980-01-01", 15)[:-1] + "0"))
        with self.assertRaises(ValidationError):
            clues.report(said(region_id="411723101"))  # a township, not a village
        with self.assertRaises(ValidationError):
            clues.report(said(risks=["01", "03", "04", "05", "06", "07"]))  # six risk types
        with self.assertRaises(ValidationError):
            clues.report(said(said=" "))
        self.assertFalse(Clue.objects.exists())

    def test_the_township_passes_it_the_village_checks_and_closes_it(self):
        clue, _new = clues.report(said(household=self.household))
        with self.assertRaises(PermissionDenied):
            clues.pass_to_village(by=self.village_operator, clue=clue)
        with self.assertRaisesMessage(ValidationError, "乡镇"):
            clues.record_check(by=self.village_operator, clue=clue, category="2", risks=["01"])
        clues.pass_to_village(by=self.alice, clue=clue)
        with self.assertRaises(PermissionDenied):  # another township's operator
            clues.record_check(by=self.bob, clue=clue, category="2", risks=["01"])
        clues.record_check(by=self.village_operator, clue=clue, category="2", risks=["01", "10"])
        with self.assertRaisesMessage(ValidationError, "原因"):
            clues.close_unconfirmed(by=self.village_operator, clue=clue, reason="")
        clues.close_unconfirmed(by=self.village_operator, clue=clue, reason="已由医保报销大部分，收入稳定")
        clue.refresh_from_db()
        self.assertEqual(clue.state, ClueState.NOT_CONFIRMED)
        self.assertEqual(clue.decided_on, timezone.localdate())
        self.assertEqual(AuditEvent.objects.filter(target_type="monitoring.clue", target_id=str(clue.pk)).count(), 4)
        # Decided: a new report opens a new clue.
        second, new = clues.report(said(household=self.household))
        self.assertTrue(new)
        self.assertNotEqual(second.pk, clue.pk)

    def test_a_department_warning_keeps_its_rule_and_values(self):
        clue, new = warnings.raise_warning(
            household=self.household,
            rule="医保：自付费用超过限额",
            values={"self_paid": "23456.78", "limit": "20000"},
            said="近12个月自付医疗费用23,456.78元",
            risks=["01"],
        )
        self.assertTrue(new)
        self.assertEqual((clue.channel, clue.state), (Channel.DEPARTMENT, ClueState.CHECKING))
        self.assertEqual(clue.values["self_paid"], "23456.78")
        self.assertIsNone(clue.pass_due)
        again, new = warnings.raise_warning(
            household=self.household, rule="民政：新纳入低保", values={}, said="新纳入低保"
        )
        self.assertFalse(new)
        self.assertEqual(again.reports[0]["rule"], "民政：新纳入低保")

    def test_a_department_source_shows_its_findings(self):
        warnings.register_findings(lambda household: [f"车辆：{household.head_name} 名下小型轿车"])
        self.assertEqual(warnings.findings_for(self.household), ["车辆：王五 名下小型轿车"])
        warnings._SOURCES.clear()


class CluePagesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.village_operator = make_user("village_a", Role.VILLAGE_OPERATOR, VILLAGE_A)
        cls.household = make_household(cls.alice, members=[{"name": "王五", "id_number": person_id("1960-03-03", 13)}])

    def test_a_cadre_reports_a_risk_from_the_household_page_with_a_photo(self):
        self.client.force_login(self.village_operator)
        page = self.client.get(reverse("registry:household", args=[self.household.pk]))
        self.assertContains(page, 'data-testid="report-risk"')
        url = reverse("monitoring:report_risk", args=[self.household.pk])
        photo = SimpleUploadedFile("house.png", PNG, content_type="image/png")
        response = self.client.post(url, {"risks": ["10"], "said": "房屋墙体开裂", "photo": photo}, follow=True)
        clue = Clue.objects.get()
        self.assertEqual((clue.channel, clue.reported_by), (Channel.CADRE, self.village_operator))
        self.assertEqual(clue.state, ClueState.CHECKING)
        self.assertContains(response, clue.receipt)
        self.assertEqual(self.client.get(reverse("monitoring:clue_photo", args=[clue.pk])).status_code, 200)

    def test_a_report_without_what_was_found_is_refused_at_the_top(self):
        self.client.force_login(self.village_operator)
        response = self.client.post(reverse("monitoring:report_risk", args=[self.household.pk]), {"risks": ["10"]})
        self.assertContains(response, 'data-testid="error-summary"')
        self.assertFalse(Clue.objects.exists())

    def test_the_list_shows_overdue_clues_first_in_red_and_the_inbox_escalates_them(self):
        old = timezone.now() - dt.timedelta(days=40)
        with mock.patch("django.utils.timezone.now", return_value=old):
            overdue, _new = clues.report(said(id_number=person_id("1981-01-01", 17)))
        fresh, _new = clues.report(said(id_number=person_id("1982-01-01", 19)))
        self.client.force_login(self.alice)
        page = self.client.get(reverse("monitoring:clues"))
        rows = [c.pk for c in page.context["page"]]
        self.assertEqual(rows, [overdue.pk, fresh.pk])
        text = page.content.decode()
        self.assertIn("逾期", text[text.index(overdue.receipt) :][:2000])
        titles = [item.title for _source, items in inbox.gather(self.alice, timezone.localdate()) for item in items]
        self.assertEqual(sorted(titles), sorted(["已超期：将自主申报转交村", "将自主申报转交村"]))
        county = [item for _s, items in inbox.gather(self.county_operator, timezone.localdate()) for item in items]
        self.assertEqual([i.url for i in county], [overdue.get_absolute_url()])
        self.assertIn("天前", county[0].title)
        self.assertFalse(inbox.gather(self.bob, timezone.localdate()))

    def test_a_clue_page_masks_numbers_until_shown_on_purpose(self):
        number = person_id("1981-01-01", 17)
        clue, _new = clues.report(said(id_number=number, phone="13812345678"))
        self.client.force_login(self.alice)
        url = reverse("monitoring:clue", args=[clue.pk])
        page = self.client.get(url).content.decode()
        self.assertNotIn(number, page)
        self.assertNotIn("13812345678", page)
        self.assertIn("138****5678", page)
        shown = self.client.get(url, {"reveal": "1"}).content.decode()
        self.assertIn(number, shown)
        self.assertTrue(AuditEvent.objects.filter(event_type="sensitive_view", target_id=str(clue.pk)).exists())

    def test_the_township_passes_a_self_report_on_through_the_page(self):
        clue, _new = clues.report(said(household=self.household))
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(clue.get_absolute_url()), 'data-testid="pass-to-village"')
        self.client.post(reverse("monitoring:clue_act", args=[clue.pk, "pass"]))
        clue.refresh_from_db()
        self.assertEqual(clue.state, ClueState.CHECKING)
        self.client.force_login(self.village_operator)
        response = self.client.post(
            reverse("monitoring:clue_act", args=[clue.pk, "check"]), {"category": "2", "risks": ["01"]}, follow=True
        )
        self.assertContains(response, "入户核实情况已保存")
        clue.refresh_from_db()
        self.assertEqual((clue.category, clue.risks), ("2", ["01"]))

    def test_the_export_lists_masked_numbers_and_is_audited(self):
        number = person_id("1981-01-01", 17)
        clues.report(said(id_number=number))
        self.client.force_login(self.alice)
        response = self.client.get(reverse("monitoring:clue_export"))
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(number.encode(), response.content)
        self.assertTrue(AuditEvent.objects.filter(event_type="export").exists())

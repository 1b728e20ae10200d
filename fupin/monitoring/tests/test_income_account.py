"""The income-and-expenditure account (收支核算): a year's net income less the compliant out-of-pocket
spending, per person, compared exactly with the year's line."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent, EventType
from fupin.monitoring import actions
from fupin.monitoring.account import account
from fupin.monitoring.models import RigidExpenditure
from fupin.policy.models import PolicyValue
from fupin.registry import actions as registry_actions
from fupin.test import COUNTY, BaseTestCase, make_household, make_user, person_id

YEAR = 2025


class IncomeAccountTestCase(BaseTestCase):
    def setUp(self):
        PolicyValue.objects.create(name="monitoring_line", region_code="41", year=YEAR, value=Decimal("8300"))
        members = [{"name": "周一", "id_number": person_id("1970-01-01", 11)}]
        members.append({"name": "吴二", "id_number": person_id("1972-02-02", 22), "relation_to_head": "02"})
        self.household = make_household(self.alice, members=members)

    def income(self, wage: str) -> None:
        items = {"wage_income": Decimal(wage)}
        registry_actions.save_income(by=self.alice, household=self.household, year=YEAR, items=items)

    def spend(self, medical: str, schooling: str = "0", by=None) -> RigidExpenditure:
        values = {"medical": medical, "schooling": schooling, "other": "", "note": "住院自付"}
        return actions.save_expenditure(by=by or self.alice, household=self.household, year=YEAR, values=values)

    def test_income_left_equal_to_the_line_is_not_below_it_and_a_fen_less_is(self):
        self.income("26600")
        self.spend("10000")  # 16,600 left for 2 people: 8,300 each, exactly the line
        self.assertIs(account(self.household, YEAR).below_line, False)
        self.spend("10000.01")  # 8,299.995 each: shown as 8,300.00, yet below
        result = account(self.household, YEAR)
        self.assertEqual(result.remaining_per_capita, Decimal("8300.00"))
        self.assertIs(result.below_line, True)

    def test_the_household_page_shows_the_account_with_the_line_it_used(self):
        self.income("30000")
        self.spend("20000")
        self.client.force_login(self.alice)
        page = self.client.get(reverse("registry:household", args=[self.household.pk])).content.decode()
        panel = page[page.index('data-testid="income-account"') :]
        self.assertIn("2025年收支核算", panel)
        self.assertIn("5,000.00", panel)  # (30,000 − 20,000) ÷ 2, grouped as read
        self.assertIn("低于2025年 防止返贫监测线 8,300 元", panel)

    def test_bad_amounts_are_refused_with_nothing_saved(self):
        with self.assertRaisesMessage(ValidationError, "金额不能为负数"):
            self.spend("-1")
        with self.assertRaisesMessage(ValidationError, "金额超过 5,000,000 元"):
            self.spend("5000000.01")
        self.assertFalse(RigidExpenditure.objects.exists())
        self.client.force_login(self.alice)
        url = reverse("monitoring:spending", args=[self.household.pk])
        response = self.client.post(url, {"year": "2099", "medical": "100"})
        self.assertContains(response, "请填写 2014 至")
        self.assertFalse(RigidExpenditure.objects.exists())

    def test_a_change_is_audited_and_saving_the_same_again_is_not(self):
        self.spend("1200")
        self.spend("1200.00")
        events = AuditEvent.objects.filter(target_type="monitoring.rigidexpenditure")
        self.assertEqual(list(events.values_list("event_type", flat=True)), [EventType.CREATE])
        self.spend("1300")
        self.assertEqual(events.count(), 2)
        self.assertEqual(RigidExpenditure.objects.get().history.count(), 2)

    def test_only_those_who_keep_the_record_write_it(self):
        leader = make_user("leader", Role.LEADER, COUNTY)
        with self.assertRaises(PermissionDenied):
            self.spend("100", by=leader)
        with self.assertRaises(PermissionDenied):
            self.spend("100", by=self.bob)  # another township
        self.client.force_login(leader)
        self.assertEqual(self.client.get(reverse("monitoring:spending", args=[self.household.pk])).status_code, 403)

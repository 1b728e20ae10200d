from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from fupin.audit.models import AuditEvent, EventType
from fupin.microcredit import loans
from fupin.microcredit.models import Loan
from fupin.registry.id_numbers import mask
from fupin.test import COUNTY, TOWNSHIP_A

from .base import LoanTestCase

FORM = {
    "bank": "平舆县农村信用合作联社",
    "contract_no": "XD-2024-001",
    "amount": "30000",
    "issued_on": "2024-04-01",
    "term_months": "36",
    "rate": "3.95",
    "subsidy_rate": "100",
    "purpose": "breeding",
    "purpose_note": "养羊20只",
}


class LoanPagesTests(LoanTestCase):
    def test_an_officer_finds_the_household_and_issues_a_loan(self):
        self.client.force_login(self.alice)
        page = self.client.get(reverse("microcredit:create"), {"household_no": "nope"})
        self.assertContains(page, "本辖区内没有此户编号")
        page = self.client.get(reverse("microcredit:create"), {"household_no": self.household.household_no})
        self.assertContains(page, "张三")
        too_much = {**FORM, "household_no": self.household.household_no, "borrower_id": self.head.pk, "amount": "60000"}
        page = self.client.post(reverse("microcredit:create"), too_much)
        self.assertContains(page, "不能超过 50,000.00 元")
        self.assertFalse(Loan.objects.exists())
        good = {**too_much, "amount": "30000"}
        response = self.client.post(reverse("microcredit:create"), good)
        loan = Loan.objects.get()
        self.assertRedirects(response, loan.get_absolute_url())
        self.assertEqual((loan.amount, loan.due_on), (Decimal("30000"), dt.date(2027, 4, 1)))
        household_page = self.client.get(self.household.get_absolute_url())
        self.assertContains(household_page, "XD-2024-001")

    def test_a_neighbouring_township_cannot_lend_to_the_household(self):
        self.client.force_login(self.bob)
        page = self.client.get(reverse("microcredit:create"), {"household_no": self.household.household_no})
        self.assertContains(page, "本辖区内没有此户编号")

    def test_repayments_subsidies_and_extensions_through_the_loan_page(self):
        loan = self.loan(amount=Decimal("10000"), issued_on=dt.date(2024, 1, 31), term_months=12)
        self.client.force_login(self.alice)
        url = reverse("microcredit:repay", args=[loan.pk])
        page = self.client.post(url, {"repay-amount": "12000", "repay-paid_on": "2024-06-01"}, follow=True)
        self.assertContains(page, "超过贷款余额 10,000.00 元")
        page = self.client.post(url, {"repay-amount": "4000", "repay-paid_on": "2024-06-01"}, follow=True)
        self.assertContains(page, "还款已登记")
        self.assertContains(page, "6,000.00")
        self.client.post(
            reverse("microcredit:subsidy", args=[loan.pk]), {"subsidy-amount": "120", "subsidy-paid_on": "2024-06-21"}
        )
        self.client.post(
            reverse("microcredit:extend", args=[loan.pk]),
            {"extend-to_due_on": "2025-12-31", "extend-reason": "牛瘟", "extend-on": "2025-01-10"},
        )
        loan.refresh_from_db()
        self.assertEqual((loan.repaid, loan.subsidy_paid, loan.due_on), (4000, 120, dt.date(2025, 12, 31)))
        entry = loan.entries.get(kind="repayment")
        self.client.post(reverse("microcredit:reverse", args=[entry.pk]), {"reason": "重复录入", "on": "2024-06-02"})
        loan.refresh_from_db()
        self.assertEqual(loan.repaid, 0)

    def test_a_user_without_the_permission_cannot_repay(self):
        from fupin.accounts.roles import Role
        from fupin.test import make_user

        reviewer = make_user("reviewer", Role.TOWNSHIP_REVIEWER, TOWNSHIP_A)
        loan = self.loan()
        self.client.force_login(reviewer)
        self.assertEqual(self.client.get(loan.get_absolute_url()).status_code, 200)
        url = reverse("microcredit:repay", args=[loan.pk])
        self.assertEqual(self.client.post(url, {"repay-amount": "1", "repay-paid_on": "2024-06-01"}).status_code, 403)

    def test_the_ledger_filters_by_state_and_exports_masked(self):
        overdue = self.loan(amount=Decimal("1000"), issued_on=dt.date(2022, 1, 10), term_months=12)
        current = self.loan(amount=Decimal("1000"), issued_on=dt.date(2026, 1, 10), term_months=36)
        self.client.force_login(self.alice)
        page = self.client.get(reverse("microcredit:list"), {"status": "overdue"})
        self.assertEqual([loan.pk for loan in page.context["page"]], [overdue.pk])
        self.assertContains(page, "逾期")
        page = self.client.get(reverse("microcredit:list"), {"status": "outstanding"})
        self.assertEqual({loan.pk for loan in page.context["page"]}, {overdue.pk, current.pk})
        response = self.client.get(reverse("microcredit:list"), {"status": "overdue", "export": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[0][:3], ["贷款银行", "合同编号", "户编号"])
        self.assertEqual((rows[1][4], rows[1][-2]), (mask(self.head.id_number), "逾期"))
        self.assertIn("河北村", rows[1][-1])
        self.assertNotIn(self.head.id_number, str(rows))
        event = AuditEvent.objects.filter(event_type=EventType.EXPORT).latest("id")
        self.assertEqual(event.changes["loans"], 1)

    def test_the_figures_lead_to_the_loans_behind_them(self):
        self.loan(amount=Decimal("1000"), issued_on=dt.date(2022, 1, 10), term_months=12)
        self.client.force_login(self.county_operator)
        page = self.client.get(reverse("microcredit:figures"))
        self.assertContains(
            page, f'href="/microcredit/?region={TOWNSHIP_A}&amp;status=overdue" data-status="overdue">1<'
        )
        self.assertContains(page, "100.0%")
        page = self.client.get(reverse("microcredit:figures"), {"region": TOWNSHIP_A})
        self.assertContains(page, f'?region={COUNTY}"')  # one level up
        loans.repay(by=self.alice, loan=Loan.objects.get(), amount=Decimal("1000"), paid_on=dt.date(2023, 2, 1))
        page = self.client.get(reverse("microcredit:figures"))
        self.assertNotContains(page, "table-danger")

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fupin import access
from fupin.microcredit import loans, stats
from fupin.microcredit.models import Loan
from fupin.regions import tables
from fupin.registry.models import Household
from fupin.test import COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_B, make_household, person_id

from .base import LoanTestCase

JAN_31 = dt.date(2024, 1, 31)


class FiguresTests(LoanTestCase):
    """Village A: a loan due 2024-01-31 (40,000 owed) and one due 2024-03-10; village B: one due
    2023-12-31, half repaid, and an eligible household that has not borrowed."""

    def setUp(self):
        super().setUp()
        self.due_jan = self.loan(amount=Decimal("40000"), issued_on=dt.date(2023, 1, 31), term_months=12)
        second = make_household(
            self.alice,
            household_no="411723101200010002",
            members=[{"name": "赵六", "id_number": person_id("1975-05-05", 21)}],
        )
        self.due_march = self.loan(household=second, amount=Decimal("20000"), issued_on=dt.date(2023, 3, 10))
        loans.repay(by=self.alice, loan=self.due_march, amount=Decimal("5000"), paid_on=dt.date(2023, 12, 1))
        in_b = make_household(
            self.bob,
            village=VILLAGE_B,
            household_no="411723102200010001",
            members=[{"name": "周九", "id_number": person_id("1972-07-07", 27)}],
        )
        self.due_dec = self.loan(
            household=in_b, by=self.bob, amount=Decimal("10000"), issued_on=dt.date(2022, 12, 31), term_months=12
        )
        loans.repay(by=self.bob, loan=self.due_dec, amount=Decimal("5000"), paid_on=dt.date(2023, 6, 1))
        make_household(
            self.bob,
            village=VILLAGE_B,
            household_no="411723102200010002",
            members=[{"name": "钱七", "id_number": person_id("1980-02-02", 23)}],
        )
        make_household(  # not eligible: never identified
            self.bob,
            village=VILLAGE_B,
            household_no="411723102200010003",
            poverty_status="not_identified",
            members=[{"name": "孙八", "id_number": person_id("1981-02-02", 25)}],
        )

    def figures(self, day, parent=COUNTY):
        return tables.rows_by_child(
            parent, stats.figures(Loan.objects.all(), Household.objects.all(), day), stats.ZEROS, stats.LoanRow
        )

    def test_due_in_its_month_and_overdue_from_the_day_after(self):
        on_the_day = {r.code: r.figures for r in self.figures(JAN_31)}
        self.assertEqual(on_the_day[TOWNSHIP_A]["due_this_month"], 1)
        self.assertEqual(on_the_day[TOWNSHIP_A]["due_amount"], Decimal("40000"))
        self.assertEqual(on_the_day[TOWNSHIP_A]["overdue"], 0)
        next_day = {r.code: r.figures for r in self.figures(JAN_31 + dt.timedelta(days=1))}
        self.assertEqual(next_day[TOWNSHIP_A]["due_this_month"], 0)
        self.assertEqual(next_day[TOWNSHIP_A]["overdue"], 1)
        self.assertEqual(next_day[TOWNSHIP_A]["overdue_amount"], Decimal("40000"))
        self.assertEqual(
            list(stats.with_status(Loan.objects.all(), "overdue", JAN_31 + dt.timedelta(days=1))),
            list(Loan.objects.filter(pk__in=[self.due_jan.pk, self.due_dec.pk])),
        )

    def test_the_overdue_rate_and_the_share_that_borrowed(self):
        rows = {r.code: r for r in self.figures(dt.date(2024, 2, 1))}
        a, b = rows[TOWNSHIP_A], rows[TOWNSHIP_B]
        self.assertEqual((a.figures["balance"], a.figures["borrowers"]), (Decimal("55000"), 2))
        self.assertEqual(a.overdue_rate, Decimal("72.7"))  # 40,000 of 55,000
        self.assertEqual(b.overdue_rate, Decimal("100.0"))
        self.assertEqual((b.figures["eligible"], b.figures["borrowed"], b.borrowed_share), (2, 1, Decimal("50.0")))

    def test_a_repaid_loan_leaves_the_balance_but_still_counts_as_borrowed(self):
        loans.repay(by=self.bob, loan=self.due_dec, amount=Decimal("5000"), paid_on=dt.date(2024, 1, 2))
        b = {r.code: r for r in self.figures(dt.date(2024, 2, 1))}[TOWNSHIP_B]
        self.assertEqual((b.figures["loans"], b.figures["balance"], b.figures["overdue"]), (0, 0, 0))
        self.assertEqual(b.figures["borrowed"], 1)

    def test_the_county_total_is_the_sum_of_its_townships_for_every_figure(self):
        for day in (JAN_31, dt.date(2024, 2, 1), dt.date(2026, 3, 10)):
            rows = self.figures(day)
            direct = stats.totals(Loan.objects.all(), Household.objects.all(), day)
            self.assertEqual(tables.total_of(rows, stats.ZEROS).figures, direct.figures)
            self.assertEqual([r.code for r in rows], [TOWNSHIP_A, TOWNSHIP_B])
            for township in (TOWNSHIP_A, TOWNSHIP_B):  # and each township the sum of its villages
                inside = Loan.objects.filter(access.under("region_id", township))
                eligible = Household.objects.filter(access.under("region_id", township))
                below = tables.rows_by_child(township, stats.figures(inside, eligible, day), stats.ZEROS)
                self.assertEqual(
                    tables.total_of(below, stats.ZEROS).figures, stats.totals(inside, eligible, day).figures
                )

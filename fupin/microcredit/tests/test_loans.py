from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from fupin.audit.models import AuditEvent
from fupin.microcredit import loans
from fupin.microcredit.models import EntryKind, Loan, LoanEntry
from fupin.policy.models import PolicyValue
from fupin.test import COUNTY

from .base import LoanTestCase


def message(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


@given(st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2030, 12, 31)), st.integers(1, 60))
def test_due_the_same_day_months_later_or_the_months_last_day(issued, months):
    due = loans.add_months(issued, months)
    assert (due.year * 12 + due.month) - (issued.year * 12 + issued.month) == months
    assert due.day == issued.day or (due.day < issued.day and (due + dt.timedelta(days=1)).day == 1)


class DueDateTests(LoanTestCase):
    def test_month_ends(self):
        self.assertEqual(loans.add_months(dt.date(2023, 1, 31), 1), dt.date(2023, 2, 28))
        self.assertEqual(loans.add_months(dt.date(2023, 1, 31), 13), dt.date(2024, 2, 29))
        self.assertEqual(loans.add_months(dt.date(2023, 3, 15), 36), dt.date(2026, 3, 15))
        loan = self.loan(issued_on=dt.date(2023, 1, 31), term_months=1)
        self.assertEqual(loan.due_on, dt.date(2023, 2, 28))


class IssueTests(LoanTestCase):
    def test_a_loan_keeps_the_rules_it_was_checked_against_and_is_audited(self):
        loan = self.loan()
        self.assertEqual(loan.region_id, self.household.region_id)
        self.assertEqual(loan.due_on, dt.date(2026, 3, 15))
        applied = {r["name"]: r["value"] for r in loan.policy}
        self.assertEqual(applied["loan_max_amount"], "50000.00")
        self.assertEqual(applied["borrower_max_age"], "65.00")
        self.assertTrue(AuditEvent.objects.filter(target_type="microcredit.loan", target_id=str(loan.pk)).exists())

    def test_the_household_may_owe_at_most_the_maximum(self):
        self.loan(amount=Decimal("30000"))
        with self.assertRaises(ValidationError) as caught:
            self.loan(amount=Decimal("20000.01"))
        self.assertIn("50,000.01", message(caught.exception, "amount"))
        self.assertIn("30,000.00", message(caught.exception, "amount"))
        self.loan(amount=Decimal("20000"))  # exactly the maximum

    def test_a_repaid_loan_no_longer_counts(self):
        first = self.loan(amount=Decimal("50000"), issued_on=dt.date(2020, 1, 10), term_months=12)
        loans.repay(by=self.alice, loan=first, amount=Decimal("50000"), paid_on=dt.date(2021, 1, 5))
        self.loan(amount=Decimal("50000"), issued_on=dt.date(2021, 3, 1))

    def test_a_county_may_set_its_own_maximum(self):
        PolicyValue.objects.create(name="loan_max_amount", region_code=COUNTY, year=2022, value=Decimal("80000"))
        self.loan(amount=Decimal("80000"))
        with self.assertRaises(ValidationError):
            self.loan(amount=Decimal("80000"), issued_on=dt.date(2021, 6, 1))  # before the county's rule

    def test_the_term_is_at_most_the_policys(self):
        with self.assertRaises(ValidationError) as caught:
            self.loan(term_months=37)
        self.assertIn("36", message(caught.exception, "term_months"))

    def test_borrower_ages_at_their_edges(self):
        young = self.member("2005-03-16", 13)  # 18 on 2023-03-16
        with self.assertRaises(ValidationError) as caught:
            self.loan(borrower_id=young.pk, issued_on=dt.date(2023, 3, 15))
        self.assertIn("17", message(caught.exception, "borrower"))
        self.loan(borrower_id=young.pk, issued_on=dt.date(2023, 3, 16), amount=Decimal(1000))
        old = self.member("1957-03-15", 15)  # 66 on 2023-03-15
        self.loan(borrower_id=old.pk, issued_on=dt.date(2023, 3, 14), amount=Decimal(1))
        with self.assertRaises(ValidationError) as caught:
            self.loan(borrower_id=old.pk, issued_on=dt.date(2023, 3, 15), amount=Decimal(1))
        self.assertIn("18", message(caught.exception, "borrower"))
        self.assertIn("65", message(caught.exception, "borrower"))

    def test_the_borrower_is_a_member_of_the_household(self):
        other = self.household.__class__.objects.get(pk=self.household.pk)
        from fupin.test import make_household, person_id

        stranger = make_household(
            self.alice,
            household_no="411723101200010002",
            members=[{"name": "王五", "id_number": person_id("1980-01-01", 17)}],
        ).members.get()
        with self.assertRaises(ValidationError) as caught:
            self.loan(household=other, borrower_id=stranger.pk)
        self.assertIn("borrower", caught.exception.message_dict)

    def test_only_registered_households_borrow(self):
        self.household.__class__.objects.filter(pk=self.household.pk).update(poverty_status="not_identified")
        self.household.refresh_from_db()
        with self.assertRaises(ValidationError) as caught:
            self.loan()
        self.assertIn("未予识别", message(caught.exception, "household"))

    def test_bad_input_saves_nothing(self):
        for values in (
            {"amount": Decimal("-1")},
            {"rate": Decimal("25")},
            {"subsidy_rate": Decimal("101")},
            {"issued_on": dt.date(2099, 1, 1)},
            {"bank": " "},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.loan(**values)
        self.assertFalse(Loan.objects.exists())

    def test_a_contract_is_entered_once_per_bank(self):
        self.loan(contract_no="A1", amount=Decimal(1000))
        with self.assertRaises(ValidationError):
            self.loan(contract_no="A1", amount=Decimal(1000))
        self.loan(contract_no="A1", amount=Decimal(1000), bank="中国邮政储蓄银行平舆县支行")

    def test_only_the_officers_of_the_region_lend(self):
        with self.assertRaises(PermissionDenied):
            self.loan(by=self.bob)


class LedgerTests(LoanTestCase):
    def test_repayments_never_exceed_the_balance(self):
        loan = self.loan(amount=Decimal("10000"))
        loans.repay(by=self.alice, loan=loan, amount=Decimal("4000"), paid_on=dt.date(2024, 3, 1))
        with self.assertRaises(ValidationError) as caught:
            loans.repay(by=self.alice, loan=loan, amount=Decimal("6000.01"), paid_on=dt.date(2024, 4, 1))
        self.assertIn("6,000.00", message(caught.exception, "amount"))
        loans.repay(by=self.alice, loan=loan, amount=Decimal("6000"), paid_on=dt.date(2024, 4, 1))
        loan.refresh_from_db()
        self.assertEqual(loan.balance, 0)

    def test_a_repayment_is_not_dated_before_the_loan(self):
        loan = self.loan()
        with self.assertRaises(ValidationError) as caught:
            loans.repay(by=self.alice, loan=loan, amount=Decimal(1), paid_on=dt.date(2023, 3, 14))
        self.assertIn("2023-03-15", message(caught.exception, "paid_on"))

    def test_reversing_restores_the_balance_once(self):
        loan = self.loan(amount=Decimal("10000"))
        entry = loans.repay(by=self.alice, loan=loan, amount=Decimal("4000"), paid_on=dt.date(2024, 3, 1))
        reversal = loans.reverse(by=self.alice, entry=entry, reason="录错金额", on=dt.date(2024, 3, 2))
        loan.refresh_from_db()
        self.assertEqual((loan.repaid, reversal.amount, reversal.kind), (0, Decimal("-4000"), EntryKind.REPAYMENT))
        for target in (entry, reversal):
            with self.assertRaises(ValidationError):
                loans.reverse(by=self.alice, entry=target, reason="再来", on=dt.date(2024, 3, 2))

    def test_the_database_refuses_a_negative_entry_that_reverses_nothing(self):
        loan = self.loan()
        with self.assertRaises(IntegrityError), transaction.atomic():
            LoanEntry.objects.create(
                loan=loan,
                kind=EntryKind.REPAYMENT,
                amount=Decimal(-1),
                paid_on=dt.date(2024, 1, 1),
                recorded_by=self.alice,
            )


class SubsidyTests(LoanTestCase):
    def test_subsidy_is_at_most_the_contracts_interest(self):
        loan = self.loan(
            amount=Decimal("36000"),
            rate=Decimal("5"),
            subsidy_rate=Decimal("70"),
            term_months=12,
            issued_on=dt.date(2023, 1, 1),
        )
        # 36,000 × 5% × 365/360 × 70% = 1,277.50
        self.assertEqual(loans.subsidy_ceiling(loan), Decimal("1277.50"))
        loans.pay_subsidy(by=self.alice, loan=loan, amount=Decimal("1277.50"), paid_on=dt.date(2023, 12, 20))
        with self.assertRaises(ValidationError):
            loans.pay_subsidy(by=self.alice, loan=loan, amount=Decimal("0.01"), paid_on=dt.date(2023, 12, 21))

    def test_an_overdue_loan_loses_its_subsidy(self):
        loan = self.loan(term_months=12, issued_on=dt.date(2023, 1, 31))  # due 2024-01-31
        loans.pay_subsidy(by=self.alice, loan=loan, amount=Decimal(100), paid_on=dt.date(2024, 1, 31))
        with self.assertRaises(ValidationError) as caught:
            loans.pay_subsidy(by=self.alice, loan=loan, amount=Decimal(100), paid_on=dt.date(2024, 2, 1))
        self.assertIn("逾期", message(caught.exception, "paid_on"))

    def test_a_loan_without_subsidy_takes_none(self):
        loan = self.loan(subsidy_rate=Decimal(0))
        with self.assertRaises(ValidationError):
            loans.pay_subsidy(by=self.alice, loan=loan, amount=Decimal(1), paid_on=dt.date(2023, 6, 1))


class ExtensionAndRenewalTests(LoanTestCase):
    def test_one_extension_before_the_due_date_within_the_policy(self):
        loan = self.loan(term_months=12, issued_on=dt.date(2023, 1, 31))  # due 2024-01-31
        with self.assertRaises(ValidationError) as caught:
            loans.extend(
                by=self.alice, loan=loan, to_due_on=dt.date(2025, 2, 1), reason="受灾", on=dt.date(2024, 1, 10)
            )
        self.assertIn("2025-01-31", message(caught.exception, "to_due_on"))
        with self.assertRaises(ValidationError):
            loans.extend(
                by=self.alice, loan=loan, to_due_on=dt.date(2024, 6, 30), reason="受灾", on=dt.date(2024, 2, 1)
            )
        loans.extend(by=self.alice, loan=loan, to_due_on=dt.date(2025, 1, 31), reason="受灾", on=dt.date(2024, 1, 31))
        loan.refresh_from_db()
        self.assertEqual(loan.due_on, dt.date(2025, 1, 31))
        self.assertFalse(loans.is_overdue(loan, dt.date(2024, 6, 1)))
        with self.assertRaises(ValidationError):
            loans.extend(
                by=self.alice, loan=loan, to_due_on=dt.date(2025, 6, 30), reason="再次", on=dt.date(2024, 12, 1)
            )

    def test_a_renewal_settles_the_old_loan_into_the_new_one(self):
        old = self.loan(amount=Decimal("50000"), term_months=12, issued_on=dt.date(2022, 5, 1))
        loans.repay(by=self.alice, loan=old, amount=Decimal("10000"), paid_on=dt.date(2023, 1, 1))
        old.refresh_from_db()
        new = loans.issue(
            by=self.alice,
            household=self.household,
            renews=old,
            values={
                "borrower_id": self.head.pk,
                "bank": old.bank,
                "contract_no": "XD-RENEW",
                "amount": Decimal("40000"),
                "issued_on": dt.date(2023, 5, 1),
                "term_months": 12,
                "rate": Decimal("3.45"),
                "subsidy_rate": Decimal("100"),
                "purpose": "breeding",
            },
        )
        old.refresh_from_db()
        self.assertEqual((old.balance, new.renews_id), (0, old.pk))
        settlement = old.entries.get(kind=EntryKind.RENEWAL)
        self.assertEqual((settlement.amount, settlement.paid_on), (Decimal("40000"), dt.date(2023, 5, 1)))
        with self.assertRaises(ValidationError):
            loans.reverse(by=self.alice, entry=settlement, reason="撤销", on=dt.date(2023, 5, 2))


class LedgerPropertyTests(HypothesisTestCase, LoanTestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(st.sampled_from(["repay", "subsidy", "reverse"]), st.integers(1, 9000)), max_size=12))
    def test_the_loans_sums_are_always_its_entries(self, steps):
        loan = self.loan(amount=Decimal("20000"), contract_no=f"H{Loan.objects.count()}", issued_on=dt.date(2020, 1, 1))
        for step, cents in steps:
            try:
                if step == "reverse":
                    entry = loan.entries.filter(reverses__isnull=True, reversal__isnull=True).last()
                    if entry:
                        loans.reverse(by=self.alice, entry=entry, reason="更正", on=dt.date(2022, 1, 1))
                elif step == "repay":
                    loans.repay(by=self.alice, loan=loan, amount=Decimal(cents), paid_on=dt.date(2021, 1, 1))
                else:
                    loans.pay_subsidy(by=self.alice, loan=loan, amount=Decimal(cents) / 10, paid_on=dt.date(2021, 1, 1))
            except ValidationError:
                pass
            loan.refresh_from_db()
            principal = sum(e.amount for e in loan.entries.all() if e.kind != EntryKind.SUBSIDY)
            subsidy = sum(e.amount for e in loan.entries.all() if e.kind == EntryKind.SUBSIDY)
            self.assertEqual((loan.repaid, loan.subsidy_paid), (principal, subsidy))
            self.assertTrue(0 <= loan.repaid <= loan.amount)
            self.assertLessEqual(loan.subsidy_paid, loans.subsidy_ceiling(loan))

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from fupin.audit.models import AuditEvent
from fupin.projects import funds
from fupin.projects.models import Disbursement
from fupin.projects.tests.base import ProjectTestCase

DAY = dt.date(2024, 4, 1)


class AllocationTestCase(ProjectTestCase):
    def test_allocations_are_summed_and_may_not_exceed_the_investment(self):
        project = self.project()
        funds.allocate(by=self.alice, project=project, source_id=self.central.pk, amount=Decimal("600000"))
        funds.allocate(by=self.alice, project=project, source_id=self.county_funds.pk, amount=Decimal("300000"))
        project.refresh_from_db()
        self.assertEqual(project.allocated, Decimal("900000"))
        with self.assertRaisesMessage(ValidationError, "超过总投资"):
            funds.allocate(by=self.alice, project=project, source_id=self.county_funds.pk, amount=Decimal("400001"))
        with self.assertRaisesMessage(ValidationError, "资金来源"):
            funds.allocate(by=self.alice, project=project, source_id=99999, amount=Decimal("1"))

    def test_an_allocation_cannot_fall_below_what_its_source_paid(self):
        project = self.project()
        funds.allocate(by=self.alice, project=project, source_id=self.central.pk, amount=Decimal("600000"))
        self.pay(project, "500000")
        with self.assertRaisesMessage(ValidationError, "已拨付 500,000"):
            funds.allocate(by=self.alice, project=project, source_id=self.central.pk, amount=Decimal("400000"))

    def pay(self, project, amount, voucher="记-001", **values):
        return funds.disburse(
            by=self.alice,
            project=project,
            source_id=values.pop("source_id", self.central.pk),
            amount=Decimal(amount),
            paid_on=values.pop("paid_on", DAY),
            voucher_no=voucher,
            **values,
        )


class LedgerTestCase(AllocationTestCase):
    def setUp(self):
        super().setUp()
        self.p = self.project()
        funds.allocate(by=self.alice, project=self.p, source_id=self.central.pk, amount=Decimal("600000"))

    def test_paying_beyond_the_allocation_needs_a_reason_kept_with_the_entry(self):
        self.pay(self.p, "500000")
        with self.assertRaisesMessage(ValidationError, "超安排拨付的理由"):
            self.pay(self.p, "100000.01", voucher="记-002")
        entry = self.pay(
            self.p, "100000.01", voucher="记-002", over_allocation_reason="县政府常务会议纪要〔2024〕5号追加"
        )
        self.assertIn("追加", entry.over_allocation_reason)
        within = self.pay(self.p, "1", voucher="记-003", source_id=self.central.pk, over_allocation_reason="x")
        self.assertIn("x", within.over_allocation_reason)  # still beyond: kept
        with self.assertRaisesMessage(ValidationError, "超安排"):  # a source with no allocation at all
            self.pay(self.p, "1", voucher="记-004", source_id=self.county_funds.pk)

    def test_bad_entries_are_refused_and_nothing_is_written(self):
        cases = (
            ({"amount": "-5"}, "不能为负"),
            ({"amount": "0"}, "大于零"),
            ({"paid_on": dt.date(2099, 1, 1)}, "晚于今天"),
            ({"voucher": " "}, "凭证号"),
            ({"source_id": 99999}, "资金来源"),
        )
        for values, message in cases:
            values = dict(values)
            amount = values.pop("amount", "100")
            voucher = values.pop("voucher", "记-009")
            with self.subTest(values=values), self.assertRaisesMessage(ValidationError, message):
                self.pay(self.p, amount, voucher=voucher, **values)
        self.pay(self.p, "100", voucher="记-009")
        with self.assertRaisesMessage(ValidationError, "已在本项目登记"):
            self.pay(self.p, "100", voucher="记-009")
        self.assertEqual(Disbursement.objects.count(), 1)

    def test_a_wrong_entry_is_reversed_once_and_the_ledger_adds_up(self):
        wrong = self.pay(self.p, "300000")
        self.pay(self.p, "120000", voucher="记-002")
        reversal = funds.reverse(by=self.alice, entry=wrong, reason="金额录错，应为30000元", on=DAY)
        self.assertEqual((reversal.amount, reversal.reverses), (Decimal("-300000"), wrong))
        self.pay(self.p, "30000", voucher="记-001")  # the same voucher, now entered right
        self.p.refresh_from_db()
        self.assertEqual(self.p.disbursed, Decimal("150000"))
        with self.assertRaisesMessage(ValidationError, "已冲销"):
            funds.reverse(by=self.alice, entry=wrong, reason="再次", on=DAY)
        with self.assertRaisesMessage(ValidationError, "不能再冲销"):
            funds.reverse(by=self.alice, entry=reversal, reason="撤销冲销", on=DAY)
        self.assertEqual(Disbursement.objects.filter(project=self.p).count(), 4)
        self.assertEqual(AuditEvent.objects.filter(target_type="projects.disbursement").count(), 4)

    def test_the_database_refuses_a_negative_entry_that_reverses_nothing(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Disbursement.objects.create(
                project=self.p,
                source=self.central,
                amount=Decimal("-1"),
                paid_on=DAY,
                voucher_no="x",
                recorded_by=self.alice,
            )


class LedgerPropertyTestCase(HypothesisTestCase, ProjectTestCase):
    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(
            st.tuples(st.integers(min_value=1, max_value=200_000), st.booleans()),  # amount, reverse it later
            min_size=1,
            max_size=6,
        )
    )
    def test_disbursed_is_the_sum_of_the_entries_not_reversed(self, payments):
        project = self.project()
        entries = []
        for i, (amount, _later) in enumerate(payments):
            entries.append(
                funds.disburse(
                    by=self.alice,
                    project=project,
                    source_id=self.central.pk,
                    amount=Decimal(amount),
                    paid_on=DAY,
                    voucher_no=f"记-{i}",
                    over_allocation_reason="测试",
                )
            )
        for entry, (_amount, reverse_it) in zip(entries, payments, strict=True):
            if reverse_it:
                funds.reverse(by=self.alice, entry=entry, reason="更正", on=DAY)
        project.refresh_from_db()
        self.assertEqual(project.disbursed, sum(Decimal(a) for a, reversed_ in payments if not reversed_))

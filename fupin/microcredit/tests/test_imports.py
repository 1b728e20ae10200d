from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fupin.microcredit.imports import LOAN_SHEET
from fupin.microcredit.models import EntryKind, Loan
from fupin.transfer.models import ImportBatch

from .base import LoanTestCase


def xlsx(rows, header=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header or LOAN_SHEET.headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class LoanImportTests(LoanTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.alice)

    def row(self, **values) -> list:
        base = {
            "bank": "平舆县农村信用合作联社",
            "contract_no": "FP001",
            "household_no": self.household.household_no,
            "borrower_name": "张三",
            "borrower_id": self.head.id_number,
            "amount": 30000,
            "issued_on": "2024-03-15",
            "term_months": 36,
            "rate": 4.75,
            "subsidy_rate": 100,
            "purpose": "养殖业",
            "purpose_note": "养牛",
            "repaid": None,
            "as_of": None,
        }
        base |= values
        return [base[c.key] for c in LOAN_SHEET.columns]

    def upload(self, content: bytes) -> ImportBatch:
        self.client.post(reverse("transfer:upload", args=["loans"]), {"file": SimpleUploadedFile("贷款.xlsx", content)})
        return ImportBatch.objects.order_by("-id").first()

    def commit(self, batch):
        return self.client.post(reverse("transfer:commit", args=[batch.pk]), follow=True)

    def errors(self, batch) -> set:
        return {(row.row_no, column) for row in batch.rows.all() for column in row.errors}

    def test_a_banks_ledger_is_loaded_and_a_later_statement_adds_the_repayments(self):
        batch = self.upload(xlsx([self.row()]))
        self.assertContains(self.commit(batch), "变更 1 条，未变 0 条")
        loan = Loan.objects.get()
        self.assertEqual((loan.borrower, loan.amount, loan.policy[0]["name"]), (self.head, 30000, "loan_max_amount"))
        statement = self.upload(xlsx([self.row(repaid=10000, as_of="2024-12-31")]))
        self.assertContains(self.commit(statement), "变更 1 条")
        loan.refresh_from_db()
        entry = loan.entries.get()
        self.assertEqual((loan.repaid, entry.kind, str(entry.paid_on)), (10000, EntryKind.REPAYMENT, "2024-12-31"))
        # the exported ledger (masked ID numbers, computed columns) loads back unchanged
        exported = self.client.get(reverse("microcredit:list"), {"export": "xlsx"})
        rows = [list(r) for r in load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True)]
        self.assertIn("*", rows[1][4])
        self.assertContains(self.commit(self.upload(exported.content)), "变更 0 条，未变 1 条")

    def test_bad_rows_are_reported_by_column_and_nothing_is_written(self):
        self.loan(contract_no="OLD", amount=Decimal("20000"))
        rows = [
            self.row(contract_no="A", amount=20000),
            self.row(contract_no="B", amount=20000),  # with A and OLD the household would owe 60,000
            self.row(contract_no="A"),  # twice in the file
            self.row(contract_no="C", household_no="999"),
            self.row(contract_no="D", borrower_name="无此人", borrower_id=""),
            self.row(contract_no="E", term_months=48, purpose="买车"),
            self.row(contract_no="OLD", amount=25000),  # not what is recorded
            self.row(contract_no="F", amount=1000, repaid=500),  # no statement day
        ]
        batch = self.upload(xlsx(rows))
        self.assertEqual(batch.status, ImportBatch.Status.INVALID)
        found = self.errors(batch)
        for expected in (
            (3, "贷款金额（元）"),
            (4, "合同编号"),
            (5, "户编号"),
            (6, "借款人姓名"),
            (7, "期限（月）"),
            (7, "用途"),
            (8, "合同编号"),
            (9, "统计日期"),
        ):
            self.assertIn(expected, found)
        self.assertNotIn(2, {row for row, _column in found})
        self.assertEqual(Loan.objects.count(), 1)

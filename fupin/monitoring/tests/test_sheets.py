"""The monitored-household sheet: rows open or correct cases, re-importing changes nothing, an export
imports back unchanged, and bad rows are refused by name with nothing written."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from fupin.monitoring.models import CaseStatus, EliminationRoute, MonitoringCase
from fupin.test import BaseTestCase, make_household, person_id
from fupin.transfer import pipeline
from fupin.transfer.spec import get_spec

HEADER = ",".join(
    ["户编号", "户主姓名", "监测对象类别", *[f"风险类型{n}" for n in range(1, 6)], "风险识别时间", "风险是否消除"]
    + ["风险消除方式", "风险消除时间", "整户无劳动能力兜底保障"]
)


class SheetTestCase(BaseTestCase):
    def setUp(self):
        self.one = make_household(self.alice, members=[{"name": "郭一", "id_number": person_id("1961-01-01", 91)}])
        self.two = make_household(self.alice, members=[{"name": "郭二", "id_number": person_id("1962-01-01", 93)}])

    def load(self, text: str, by=None):
        by = by or self.alice
        batch = pipeline.stage(spec=get_spec("monitored_households"), filename="监测.csv", content=text.encode(), by=by)
        return batch

    def rows(self) -> str:
        return (
            f"{HEADER}\n"
            f"{self.one.household_no},郭一,边缘易致贫户,因病,因学,,,,2025-03-01,否,,,否\n"
            f"{self.two.household_no},,脱贫不稳定户,因残,,,,,2024-05-01,是,帮扶消除,2025-01-10,否\n"
        )

    def test_rows_open_cases_and_a_second_load_changes_nothing(self):
        batch = self.load(self.rows())
        self.assertEqual(batch.error_count, 0)
        self.assertEqual(pipeline.commit(batch=batch, by=self.alice)["added"], 2)
        first = MonitoringCase.objects.get(household=self.one)
        self.assertEqual((first.category, first.risks, first.status), ("2", ["01", "09"], CaseStatus.MONITORING))
        second = MonitoringCase.objects.get(household=self.two)
        self.assertEqual((second.status, second.elimination_route), (CaseStatus.ELIMINATED, EliminationRoute.ASSISTED))
        again = pipeline.commit(batch=self.load(self.rows()), by=self.alice)
        self.assertEqual((again["added"], again["changed"], again["unchanged"]), (0, 0, 2))

    def test_an_export_imports_back_unchanged(self):
        pipeline.commit(batch=self.load(self.rows()), by=self.alice)
        self.client.force_login(self.alice)
        response = self.client.get(reverse("monitoring:cases_export"))
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        lines = [",".join("" if v is None else str(v) for v in row) for row in sheet.iter_rows(values_only=True)]
        self.assertEqual(lines[0], HEADER)
        result = pipeline.commit(batch=self.load("\n".join(lines) + "\n"), by=self.alice)
        self.assertEqual(result["unchanged"], 2)

    def test_bad_rows_are_refused_by_name_with_nothing_written(self):
        text = (
            f"{HEADER}\n"
            f"{self.one.household_no},别人,边缘易致贫户,因病,,,,,2025-03-01,否,,,否\n"
            f"{self.two.household_no},,脱贫不稳定户,因残,,,,,2025-05-01,是,,,否\n"
            "4117239999999999,,脱贫不稳定户,因残,,,,,2025-05-01,否,,,否\n"
        )
        batch = self.load(text)
        self.assertEqual(batch.error_count, 3)
        errors = str([row.errors for row in batch.rows.all()])
        self.assertIn("户主姓名与户编号不符", errors)
        self.assertIn("风险消除时间", errors)
        self.assertFalse(MonitoringCase.objects.exists())
        batch = self.load(f"{HEADER}\n{self.one.household_no},,边缘易致贫户,因病,,,,,2025-03-01,否,,,否\n", by=self.bob)
        self.assertEqual(batch.error_count, 1)  # another township's household

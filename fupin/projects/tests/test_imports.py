from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fupin.projects.imports import PROJECT_SHEET
from fupin.projects.models import Project
from fupin.test import VILLAGE_A, VILLAGE_B
from fupin.transfer.models import ImportBatch

from .base import ProjectTestCase

ROW = [
    2024,
    "河北村光伏扶贫电站",
    "产业类",
    "新建",
    "村级",
    VILLAGE_A,
    "杨埠镇人民政府",
    "李强",
    "",
    "建设村级光伏电站100千瓦",
    "带动脱贫户30户",
    30,
    90,
    1000000,
    "2024-03-01",
    "2024-09-30",
]


def xlsx(rows, header=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header or PROJECT_SHEET.headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class ProjectImportTests(ProjectTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.alice)

    def upload(self, content: bytes) -> ImportBatch:
        self.client.post(
            reverse("transfer:upload", args=["projects"]), {"file": SimpleUploadedFile("项目.xlsx", content)}
        )
        return ImportBatch.objects.order_by("-id").first()

    def commit(self, batch):
        return self.client.post(reverse("transfer:commit", args=[batch.pk]), follow=True)

    def test_a_ledger_is_loaded_and_an_exported_ledger_loads_back_unchanged(self):
        second = [
            "",
            "村组道路硬化",
            "基础设施",
            "改建",
            "村级",
            VILLAGE_A,
            "杨埠镇",
            "王伟",
            "",
            "硬化2公里",
            "",
            "",
            "",
            "650000",
            "",
            "",
        ]
        second[0] = 2024
        batch = self.upload(xlsx([ROW, second]))
        self.assertEqual(batch.status, ImportBatch.Status.VALIDATED)
        self.assertContains(self.commit(batch), "变更 2 条，未变 0 条")
        plant = Project.objects.get(name="河北村光伏扶贫电站")
        self.assertEqual(
            (plant.category, plant.level, plant.total_investment), ("industrial", "village", Decimal(1000000))
        )
        exported = self.client.get(reverse("projects:list"), {"export": "xlsx"})
        sheet = load_workbook(io.BytesIO(exported.content)).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        self.assertEqual(rows[0], PROJECT_SHEET.headers)
        again = self.upload(exported.content)
        self.assertContains(self.commit(again), "未变 2 条")
        rows[1][13] = 1200000  # a corrected investment
        changed = self.upload(xlsx(rows[1:], header=rows[0]))
        self.assertContains(self.commit(changed), "变更 1 条")

    def test_every_bad_row_is_reported_and_nothing_is_written(self):
        outside = [*ROW]
        outside[5] = VILLAGE_B  # bob's township
        no_targets = [*ROW]
        no_targets[1], no_targets[10] = "无绩效目标项目", ""
        wrong = [*ROW]
        wrong[1], wrong[2], wrong[13], wrong[15] = "错项目", "娱乐类", "-5", "2024-01-01"
        batch = self.upload(xlsx([ROW, outside, ROW, wrong, no_targets]))
        self.assertEqual(batch.status, ImportBatch.Status.INVALID)
        errors = {(row.row_no, column) for row in batch.rows.all() for column in row.errors}
        self.assertIn((3, "实施地点代码"), errors)
        self.assertIn((4, "项目名称"), errors)  # the same project as row 2
        self.assertIn((5, "项目类别"), errors)
        self.assertIn((5, "总投资（元）"), errors)
        self.assertFalse(Project.objects.exists())

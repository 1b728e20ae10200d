import io
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fupin.audit import display
from fupin.audit.models import AuditEvent, EventType
from fupin.jobs.models import Job
from fupin.regions.models import Region
from fupin.test import COUNTY, OTHER_COUNTY, VILLAGE_A, VILLAGE_B, BaseTestCase
from fupin.transfer import import_jobs
from fupin.transfer.models import ImportBatch

HEADER = ["区划代码", "名称", "是否贫困", "认定年份", "退出年份"]


def xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class DesignationImportTestCase(BaseTestCase):
    upload_url = reverse("transfer:upload", args=["poor_designation"])

    def setUp(self):
        self.client.force_login(self.county_operator)

    def upload(self, content: bytes, name="名单.xlsx"):
        response = self.client.post(self.upload_url, {"file": SimpleUploadedFile(name, content)})
        return response, ImportBatch.objects.order_by("-id").first()

    def commit(self, batch):
        return self.client.post(reverse("transfer:commit", args=[batch.pk]), follow=True)

    def test_the_upload_and_its_check_are_audited_with_the_uploaders_address_and_shown_in_words(self):
        _response, batch = self.upload(xlsx([[411723, "平舆县", "是", 2011, 2019]]))
        received = AuditEvent.objects.get(event_type=EventType.IMPORT, changes__stage="received")
        self.assertEqual((received.ip, received.target_id), ("127.0.0.1", str(batch.pk)))
        self.assertEqual(received.changes["file"], "名单.xlsx")
        # the check ran later as a job: its event carries the address of the request that started it
        checked = AuditEvent.objects.get(event_type=EventType.IMPORT, changes__stage="uploaded")
        self.assertEqual(checked.ip, "127.0.0.1")
        shown = dict(display.rows(received))
        self.assertEqual((shown["导入阶段"], shown["文件大小（字节）"]), ("已上传", str(received.changes["bytes"])))

    def test_the_template_has_the_contract_headers(self):
        response = self.client.get(reverse("transfer:template", args=["poor_designation"]))
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        self.assertEqual([c.value for c in sheet[1]], HEADER)

    def test_a_clean_file_is_previewed_then_committed_with_audit(self):
        # numbers typed as numbers in Excel still read as codes
        response, batch = self.upload(
            xlsx([[411723, "平舆县", "是", 2011, 2019], [int(VILLAGE_A), None, "是", 2014, None]])
        )
        self.assertRedirects(response, reverse("transfer:detail", args=[batch.pk]))
        self.assertEqual(batch.status, ImportBatch.Status.VALIDATED)
        self.assertFalse(Region.objects.get(code=COUNTY).is_poor_county)  # nothing written before the commit
        self.assertContains(self.commit(batch), "导入已提交：变更 2 条，未变 0 条。")
        county = Region.objects.get(code=COUNTY)
        self.assertEqual((county.is_poor_county, county.designated_year, county.exit_year), (True, 2011, 2019))
        self.assertTrue(Region.objects.get(code=VILLAGE_A).is_poor_village)
        change = AuditEvent.objects.get(event_type=EventType.UPDATE, target_id=COUNTY)
        self.assertEqual(change.changes["is_poor_county"], [False, True])

    def test_importing_the_same_file_again_changes_nothing(self):
        content = xlsx([[411723, "平舆县", "是", 2011, 2019]])
        self.commit(self.upload(content)[1])
        updates = AuditEvent.objects.filter(event_type=EventType.UPDATE).count()
        _response, batch = self.upload(content)
        page = self.client.get(reverse("transfer:detail", args=[batch.pk]))
        self.assertContains(page, "同一文件已于")
        self.assertContains(self.commit(batch), "变更 0 条，未变 1 条")
        self.assertEqual(AuditEvent.objects.filter(event_type=EventType.UPDATE).count(), updates)

    def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_written(self):
        _response, batch = self.upload(
            xlsx(
                [
                    [411723, "平舆县", "是", 2011, 2019],  # fine
                    ["41172X", None, "是", 2014, None],  # malformed code
                    [OTHER_COUNTY, None, "是", 2014, None],  # outside the county
                    [411723, None, "是", 2011, None],  # duplicate
                    [VILLAGE_B, "错误村名", "也许", 2014, 2010],  # wrong name, bad yes/no
                    ["411723101", None, "是", 2014, None],  # a township cannot be designated
                    [VILLAGE_A, None, "是", 2016, 2015],  # exit before designation
                ]
            )
        )
        self.assertEqual((batch.status, batch.error_count), (ImportBatch.Status.INVALID, 6))
        errors = {row.row_no: row.errors for row in batch.rows.all()}
        self.assertEqual(errors[2], {})
        self.assertEqual(errors[3], {"区划代码": "“41172X”：区划代码应为 2、4、6、9 或 12 位数字。"})
        self.assertEqual(errors[4], {"区划代码": "该区划不存在或不在您的管辖范围内。"})
        self.assertEqual(errors[5], {"区划代码": "与第 2 行的区划代码重复。"})
        self.assertEqual(
            errors[6],
            {"是否贫困": "“也许”：请填写“是”或“否”。", "名称": "名称与区划代码不符：411723102200 是“小吴村民委员会”。"},
        )
        self.assertEqual(errors[7], {"是否贫困": "只有县或村可以认定为贫困县、贫困村。"})
        self.assertEqual(errors[8], {"退出年份": "退出年份不能早于认定年份。"})
        self.assertNotContains(self.client.get(reverse("transfer:detail", args=[batch.pk])), "提交 7 行")
        self.commit(batch)
        self.assertFalse(Region.objects.filter(is_poor_county=True).exists())
        # the report is the sheet as uploaded with an error column
        report = self.client.get(reverse("transfer:report", args=[batch.pk]))
        rows = list(load_workbook(io.BytesIO(report.content)).worksheets[0].iter_rows(values_only=True))
        self.assertEqual(rows[0], (*HEADER, "错误说明"))
        self.assertEqual(rows[2][-1], "区划代码：“41172X”：区划代码应为 2、4、6、9 或 12 位数字。")
        # a sheet too long to write within a request is written by the worker, for its owner to download
        with mock.patch.object(import_jobs, "REPORT_INLINE_ROWS", 5):
            page = self.client.get(reverse("transfer:detail", args=[batch.pk]))
            self.assertContains(page, 'data-testid="report-job"')
            self.assertEqual(self.client.get(reverse("transfer:report", args=[batch.pk])).status_code, 405)
            response = self.client.post(reverse("transfer:report", args=[batch.pk]), follow=True)
        self.assertContains(response, "校验结果表正在生成")
        job = Job.objects.get(kind=import_jobs.REPORT)
        self.assertEqual(job.state, Job.State.DONE)
        report = self.client.get(reverse("jobs:result", args=[job.pk]))
        content = b"".join(report.streaming_content) if report.streaming else report.content
        rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
        self.assertEqual(rows[2][-1], "区划代码：“41172X”：区划代码应为 2、4、6、9 或 12 位数字。")

    def test_a_gb18030_csv_from_another_system_is_read(self):
        content = "区划代码,名称,是否贫困,认定年份,退出年份\r\n411723101200,河北村民委员会,是,2014,2018\r\n".encode(
            "gb18030"
        )
        _response, batch = self.upload(content, name="名单.csv")
        self.assertEqual(batch.status, ImportBatch.Status.VALIDATED)
        self.commit(batch)
        self.assertEqual(Region.objects.get(code=VILLAGE_A).exit_year, 2018)

    def test_missing_columns_and_empty_files_are_file_errors(self):
        _response, batch = self.upload(xlsx([[411723, "是"]], header=["区划代码", "是否贫困"]))
        self.assertIn("缺少列：名称、认定年份、退出年份。请下载最新模板。", batch.file_errors)
        _response, batch = self.upload(xlsx([]))
        self.assertIn("文件中没有数据行。", batch.file_errors)

    def test_an_unreadable_file_is_refused_without_a_batch(self):
        response, batch = self.upload(b"not a spreadsheet", name="x.xlsx")
        self.assertContains(response, "该文件不是 .xlsx 工作簿，或已损坏")
        self.assertIsNone(batch)
        self.assertContains(self.upload(b"a,b", name="x.pdf")[0], "请上传 .xlsx、.xls、.ods 或 .csv 文件。")

    def test_a_password_protected_workbook_is_named_as_such(self):
        response, batch = self.upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), name="加密.xlsx")
        self.assertContains(response, "密码")
        self.assertIsNone(batch)

    def test_a_50_mb_file_is_refused_with_the_limit_named(self):
        from django.core.exceptions import ValidationError

        from fupin.transfer.pipeline import check_size

        with self.assertRaisesMessage(ValidationError, "文件超过 48 MB。"):
            check_size(50 * 1024 * 1024)

    def test_an_oversized_file_is_refused_before_it_is_read(self):
        with self.settings(FUPIN_IMPORT_MAX_BYTES=1024 * 1024):
            response, batch = self.upload(b"x" * (1024 * 1024 + 1), name="big.csv")
        self.assertContains(response, "文件超过 1 MB。")
        self.assertIsNone(batch)

    def test_a_preview_gone_stale_commits_nothing(self):
        _response, batch = self.upload(
            xlsx([[411723, None, "是", 2011, None], [VILLAGE_A, "河北村民委员会", "是", 2014, None]])
        )
        Region.objects.filter(code=VILLAGE_A).update(name="河北村")  # renamed after the preview
        self.assertContains(self.commit(batch), "预览之后数据已发生变化")
        self.assertFalse(Region.objects.get(code=COUNTY).is_poor_county)
        batch.refresh_from_db()
        self.assertEqual(batch.status, ImportBatch.Status.VALIDATED)

    def test_only_the_uploaders_subtree_sees_the_batch(self):
        _response, batch = self.upload(xlsx([[411723, None, "是", 2011, None]]))
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(reverse("transfer:commit", args=[batch.pk])).status_code, 404)

    def test_a_batch_is_committed_once(self):
        _response, batch = self.upload(xlsx([[411723, None, "是", 2011, None]]))
        self.commit(batch)
        self.assertContains(self.commit(batch), "无法提交：该批次有错误或已提交。")

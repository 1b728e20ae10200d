"""Household imports through the one pipeline: our template and the national person list."""

from __future__ import annotations

import csv
import datetime as dt
import io
from unittest import mock

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fupin.lib import bulk
from fupin.registry import quality
from fupin.registry.models import Household, IncomeRecord, Member
from fupin.test import VILLAGE_A, BaseTestCase, make_household, person_id
from fupin.transfer import pipeline
from fupin.transfer.models import ImportBatch
from fupin.transfer.spec import get_spec

HEAD = person_id("1970-01-01", 11)
WIFE = person_id("1972-02-02", 22)
CHILD = person_id("2012-05-05", 33)


def csv_bytes(rows: list[dict], encoding: str = "utf-8-sig") -> bytes:
    spec = get_spec("households")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(spec.headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in spec.headers])
    return buffer.getvalue().encode(encoding)


def template_rows(**head_overrides) -> list[dict]:
    head = {
        "户编号": "H001",
        "行政村代码": VILLAGE_A,
        "贫困户属性": "一般贫困户",
        "主要致贫原因": "因病",
        "脱贫状态": "未脱贫",
        "首次识别时间": "2014-10-01",
        "耕地面积（亩）": "3.5",
        "是否解决安全饮用水": "是",
        "危房等级": "B级",
        "收入年度": "2024",
        "工资性收入": "9000",
        "生产经营性收入": "3000",
        "生产经营性支出": "1200",
        "低保金": "600",
        "人编号": "P1",
        "姓名": "赵大",
        "证件号码": HEAD,
        "与户主关系": "户主",
        "健康状况": "长期慢性病、残疾",
        "是否参加城乡居民基本医疗保险": "是",
        **head_overrides,
    }
    wife = {"户编号": "H001", "人编号": "P2", "姓名": "钱二", "证件号码": WIFE, "与户主关系": "配偶"}
    child = {
        "户编号": "H001",
        "人编号": "P3",
        "姓名": "赵小",
        "证件号码": CHILD,
        "与户主关系": "之子",
        "在校生状况": "七年级",
    }
    return [head, wife, child]


class TemplateImportTestCase(BaseTestCase):
    def stage(self, content: bytes, filename: str = "名单.csv", kind: str = "households") -> ImportBatch:
        return pipeline.stage(spec=get_spec(kind), filename=filename, content=content, by=self.alice)

    def test_an_import_brings_applicants_and_leaves_statuses_to_the_procedures(self):
        pipeline.commit(batch=self.stage(csv_bytes(template_rows())), by=self.alice)  # the file says 未脱贫
        household = Household.objects.get(household_no="H001")
        self.assertEqual((household.poverty_status, household.first_identified_on), ("applicant", None))
        # a household the procedures have identified keeps its status whatever a later file says
        Household.objects.filter(pk=household.pk).update(poverty_status="not_exited")
        rows = template_rows(**{"脱贫状态": "已脱贫", "脱贫年度": "2020"})
        pipeline.commit(batch=self.stage(csv_bytes(rows)), by=self.alice)
        household.refresh_from_db()
        self.assertEqual((household.poverty_status, household.exit_year), ("not_exited", None))

    def test_only_an_administrators_migration_brings_statuses_and_the_history_says_so(self):
        from django.core.exceptions import PermissionDenied

        from fupin.registry import story

        with self.assertRaises(PermissionDenied):  # a township operator does not migrate
            self.stage(csv_bytes(template_rows()), kind="households_migration")
        batch = pipeline.stage(
            spec=get_spec("households_migration"),
            filename="旧系统.csv",
            content=csv_bytes(template_rows()),
            by=self.county_operator,
        )
        pipeline.commit(batch=batch, by=self.county_operator)
        migrated = Household.objects.get(household_no="H001")
        self.assertEqual(migrated.poverty_status, "not_exited")
        self.assertIn("迁移（保留文件中的脱贫状态）", story.held_since(migrated).source)

    def test_a_household_with_members_and_income_loads_and_reloading_changes_nothing(self):
        batch = self.stage(csv_bytes(template_rows()))
        self.assertEqual(batch.status, ImportBatch.Status.VALIDATED, list(batch.rows.values_list("errors", flat=True)))
        summary = pipeline.commit(batch=batch, by=self.alice)
        self.assertEqual((summary["households_created"], summary["members_created"]), (1, 3))
        household = Household.objects.get(household_no="H001")
        self.assertEqual((household.head_name, household.size, household.main_cause), ("赵大", 3, "1"))
        self.assertEqual(household.members.get(member_no="P1").health_status, ["02", "04"])
        record = IncomeRecord.objects.get()
        self.assertEqual((str(record.net_income), str(record.net_income_per_capita)), ("11400.00", "3800.00"))
        self.assertEqual(household.history.count(), 1)
        self.assertEqual(household.history.first().history_user, self.alice)

        again = pipeline.commit(batch=self.stage(csv_bytes(template_rows())), by=self.alice)
        self.assertEqual((again["changed"], again["unchanged"]), (0, 1))
        self.assertEqual(household.history.count(), 1)
        self.assertEqual(Member.history.count(), 3)

    def test_an_updated_file_updates_by_household_and_member_number(self):
        pipeline.commit(batch=self.stage(csv_bytes(template_rows())), by=self.alice)
        rows = template_rows(**{"姓名": "赵大勇", "危房等级": "D级", "是否危房户": "是"})
        summary = pipeline.commit(batch=self.stage(csv_bytes(rows)), by=self.alice)
        self.assertEqual((summary["households_updated"], summary["members_updated"]), (1, 1))
        household = Household.objects.get()
        self.assertEqual((household.head_name, household.housing_grade), ("赵大勇", "D"))
        self.assertEqual(household.history.count(), 2)
        latest = household.history.first()  # the record as the update left it, attributed to the batch
        self.assertEqual((latest.history_type, latest.housing_grade, latest.head_name), ("~", "D", "赵大勇"))
        self.assertEqual(latest.history_user, self.alice)
        self.assertRegex(latest.history_change_reason, r"#\d+")
        self.assertEqual(Member.history.filter(member_no="P1").first().name, "赵大勇")

    def test_gb18030_csv_is_read(self):
        batch = self.stage(csv_bytes(template_rows(), encoding="gb18030"))
        self.assertEqual(batch.status, ImportBatch.Status.VALIDATED)

    def test_every_bad_cell_is_reported_by_row_and_column_and_nothing_is_saved(self):
        make_household(self.alice, household_no="OTHER", members=[{"name": "孙某", "id_number": CHILD}])
        rows = template_rows(
            **{
                "证件号码": HEAD[:-1] + ("1" if HEAD[-1] == "0" else "0"),
                "主要致贫原因": "因穷",
                "耕地面积（亩）": "三亩",
                "林地面积（亩）": "-2",
            }
        )
        rows[1]["与户主关系"] = "户主"  # a second head
        batch = self.stage(csv_bytes(rows))
        self.assertEqual(batch.status, ImportBatch.Status.INVALID)
        errors = {row.row_no: row.errors for row in batch.rows.all()}
        self.assertIn("校验码", errors[2]["证件号码"])
        self.assertIn("因穷", errors[2]["主要致贫原因"])
        self.assertIn("三亩", errors[2]["耕地面积（亩）"])
        self.assertIn("2", errors[2]["与户主关系"])  # "has 2 heads"
        self.assertIn("OTHER", errors[4]["证件号码"])  # the child is already in household OTHER
        with self.assertRaises(ValidationError):
            pipeline.commit(batch=batch, by=self.alice)
        self.assertEqual(Household.objects.count(), 1)

    def test_a_long_file_keeps_a_preview_and_its_error_rows_and_reports_every_row(self):
        rows = [
            {**template_rows()[0], "户编号": f"H{i:03d}", "人编号": f"P{i}", "证件号码": person_id("1970-01-01", i)}
            for i in range(1, 25)
        ]
        rows[22]["主要致贫原因"] = "因穷"  # spreadsheet row 24
        batch = self.stage(csv_bytes(rows))
        self.assertEqual((batch.row_count, batch.error_count), (24, 1))
        self.assertEqual(list(batch.rows.values_list("row_no", flat=True)), [*range(2, 2 + pipeline.PREVIEW_ROWS), 24])
        report = load_workbook(io.BytesIO(pipeline.error_report(batch, reveal=True))).worksheets[0]
        lines = list(report.iter_rows(values_only=True))
        self.assertEqual(len(lines), 25)
        self.assertEqual(lines[22][-1], None)
        self.assertIn("因穷", lines[23][-1])

    def test_the_parsed_rows_are_kept_until_the_commit(self):
        batch = self.stage(csv_bytes(template_rows()))
        name = batch.parsed.name
        self.assertTrue(batch.parsed.storage.exists(name))
        with self.captureOnCommitCallbacks(execute=True):
            pipeline.commit(batch=batch, by=self.alice)
        self.assertFalse(batch.parsed.storage.exists(name))
        self.assertTrue(batch.file.storage.exists(batch.file.name))  # the upload itself is kept

    def test_negative_area_is_refused(self):
        batch = self.stage(csv_bytes(template_rows(**{"林地面积（亩）": "-2"})))
        self.assertIn("林地面积（亩）", batch.rows.get(row_no=2).errors)

    def test_a_fault_halfway_through_the_commit_leaves_nothing(self):
        batch = self.stage(csv_bytes(template_rows()))
        real = bulk.insert
        calls = []

        def failing(model, rows, **kwargs):
            calls.append(model)
            if model is Member:
                raise RuntimeError("disk full")
            return real(model, rows, **kwargs)

        with mock.patch.object(bulk, "insert", failing), self.assertRaises(RuntimeError):
            pipeline.commit(batch=batch, by=self.alice)
        self.assertIn(Household, calls)  # households had been written when it failed
        self.assertEqual(Household.objects.count(), 0)
        self.assertEqual(Household.history.count(), 0)
        batch.refresh_from_db()
        self.assertEqual(batch.status, ImportBatch.Status.VALIDATED)

    def test_a_person_registered_elsewhere_after_the_preview_stops_the_commit(self):
        batch = self.stage(csv_bytes(template_rows()))
        self.assertEqual(batch.status, ImportBatch.Status.VALIDATED)
        make_household(self.alice, household_no="H900", members=[{"name": "钱二", "id_number": WIFE}])
        with (
            self.assertLogs("fupin.transfer.pipeline", "WARNING") as logs,
            self.assertRaisesMessage(ValidationError, "部分行不再有效"),
        ):
            pipeline.commit(batch=batch, by=self.alice)
        self.assertFalse(Household.objects.filter(household_no="H001").exists())
        self.assertNotIn(WIFE, logs.output[0])  # PostgreSQL's detail quotes the key

    def test_a_member_number_of_another_household_is_refused(self):
        other = [{"name": "孙五", "id_number": person_id("1980-03-03", 55), "member_no": "P2"}]
        make_household(self.alice, household_no="H900", members=other)
        errors = self.stage(csv_bytes(template_rows())).rows.get(row_no=3).errors
        self.assertIn("H900", errors["人编号"])

    def test_a_member_number_twice_in_the_file_is_refused(self):
        rows = template_rows()
        rows[2]["人编号"] = "P2"
        errors = self.stage(csv_bytes(rows)).rows.get(row_no=4).errors
        self.assertEqual(errors["人编号"], "与第 3 行的人编号重复。")

    def test_a_member_number_taken_after_the_preview_stops_the_commit(self):
        batch = self.stage(csv_bytes(template_rows()))
        other = [{"name": "孙五", "id_number": person_id("1980-03-03", 55), "member_no": "P2"}]
        make_household(self.alice, household_no="H900", members=other)
        with self.assertRaisesMessage(ValidationError, "部分行不再有效"):
            pipeline.commit(batch=batch, by=self.alice)
        self.assertFalse(Household.objects.filter(household_no="H001").exists())

    def test_the_commit_rechecks_only_the_rules_that_read_the_registry(self):
        batch = self.stage(csv_bytes(template_rows()))
        with (
            mock.patch("fupin.registry.rules.member_errors") as member_errors,
            mock.patch("fupin.registry.imports._current_members") as current_members,
        ):
            pipeline.commit(batch=batch, by=self.alice)
        member_errors.assert_not_called()  # checked with the file; nothing it reads has changed since
        current_members.assert_not_called()  # left to member_current_id_unique (the test above)
        self.assertEqual(Household.objects.get(household_no="H001").size, 3)

    def test_the_summary_counts_the_flagged_households_of_the_file_not_of_its_villages(self):
        neighbour = [{"name": "孙五", "id_number": person_id("1980-03-03", 55)}]
        make_household(self.alice, household_no="H900", members=neighbour)  # no road distance: flagged
        summary = pipeline.commit(batch=self.stage(csv_bytes(template_rows())), by=self.alice)
        self.assertEqual(len(quality.flagged(Household.objects.all(), timezone.localdate())), 2)
        self.assertEqual(summary["flagged"], 1)

    def test_a_village_outside_the_jurisdiction_is_refused(self):
        batch = pipeline.stage(
            spec=get_spec("households"), filename="x.csv", content=csv_bytes(template_rows()), by=self.bob
        )
        self.assertIn("行政村代码", batch.rows.get(row_no=2).errors)


def national_csv(rows: list[list[str]], header: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode("gb18030")


class NationalImportTestCase(BaseTestCase):
    HEADER = [
        "序号",
        "县",
        "乡（镇）",
        "行政村",
        "自然村",
        "户编号",
        "人编号",
        "姓名",
        "证件号码",
        "人数",
        "与户主关系",
        "民族",
        "健康状况",
        "劳动技能",
        "致贫原因 1",
        "危房户",
        "是否解决安全饮用水",
        "人均纯收入",
        "户类型",
        "风险是否消除",
    ]

    def test_the_national_list_loads_with_extra_columns_in_any_order_and_spacing_variants(self):
        village = self.region(VILLAGE_A)
        township, county = self.region(VILLAGE_A[:9]), self.region(VILLAGE_A[:6])
        rows = [
            [
                "1",
                county.name,
                township.name,
                village.name,
                "一组",
                "N1",
                "N1-1",
                "周一",
                HEAD,
                "2",
                "户主",
                "汉族",
                "健康",
                "普通劳动力",
                "因病",
                "否",
                "是",
                "8000",
                "一般脱贫户",
                "是",
            ],
            [
                "2",
                county.name,
                township.name,
                village.name,
                "一组",
                "N1",
                "N1-2",
                "吴二",
                WIFE,
                "2",
                "配偶",
                "汉族",
                "患有大病",
                "丧失劳动力",
                "因病",
                "否",
                "是",
                "8000",
                "一般脱贫户",
                "是",
            ],
        ]
        batch = pipeline.stage(
            spec=get_spec("households_national"),
            data_date=dt.date(2020, 12, 31),
            filename="已脱贫人口名单.csv",
            content=national_csv(rows, self.HEADER),
            by=self.county_operator,
        )
        self.assertEqual(
            batch.status, ImportBatch.Status.VALIDATED, [r.errors for r in batch.rows.all()] + batch.file_errors
        )
        pipeline.commit(batch=batch, by=self.county_operator)
        household = Household.objects.get()
        self.assertEqual((household.region_id, household.poverty_status, household.size), (VILLAGE_A, "exited", 2))
        self.assertIsNone(household.net_income_per_capita)  # income is never typed in
        self.assertFalse(IncomeRecord.objects.exists())

    def test_an_unknown_village_name_is_reported(self):
        rows = [
            [
                "1",
                "平舆县",
                "杨埠镇",
                "不存在村",
                "",
                "N1",
                "",
                "周一",
                HEAD,
                "1",
                "户主",
                "汉族",
                "健康",
                "",
                "因病",
                "否",
                "是",
                "",
                "一般脱贫户",
                "",
            ]
        ]
        batch = pipeline.stage(
            spec=get_spec("households_national"),
            data_date=dt.date(2020, 12, 31),
            filename="x.csv",
            content=national_csv(rows, self.HEADER),
            by=self.county_operator,
        )
        self.assertIn("行政村", batch.rows.get().errors)

    def test_the_batch_page_marks_the_cells_that_the_errors_name_under_the_files_own_headers(self):
        county, township, village = (self.region(VILLAGE_A[:n]).name for n in (6, 9, 12))
        row = ["1", county, township, village, "", "N1", "", "周一", HEAD, "1", "户主", "汉族", "健康", ""]
        row += ["因穷", "否", "是", "", "一般贫困户", ""]
        batch = pipeline.stage(
            spec=get_spec("households_national"),
            data_date=dt.date(2020, 12, 31),
            filename="x.csv",
            content=national_csv([row], self.HEADER),
            by=self.county_operator,
        )
        self.client.force_login(self.county_operator)
        shown = self.client.get(reverse("transfer:detail", args=[batch.pk])).context["page"][0]
        self.assertEqual(list(shown.errors), ["致贫原因1"])  # the spec's header; the file says "致贫原因 1"
        self.assertEqual([cell for cell, wrong in shown.marked_cells if wrong], ["因穷"])


class NationalTitleRowTestCase(BaseTestCase):
    def test_a_title_row_above_the_header_and_the_exports_own_header_texts(self):
        county, township, village = (self.region(VILLAGE_A[:n]).name for n in (6, 9, 12))
        # the national export's own texts: ASCII parentheses in 县(市、区、旗) and 乡(镇)
        header = ["序号", "县(市、区、旗)", "乡(镇)", "行政村", "户编号", "姓名", "证件号码", "与户主关系"]
        header += ["致贫原因1", "户类型"]
        row = ["1", county, township, village, "N1", "周一", HEAD, "户主", "因病", "一般贫困户"]
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerows([["全国扶贫开发信息系统 贫困人口名单"], ["数据日期：2020-12-31"], header, row])
        batch = pipeline.stage(
            spec=get_spec("households_national"),
            data_date=dt.date(2020, 12, 31),
            filename="名单.csv",
            content=buffer.getvalue().encode("gb18030"),
            by=self.county_operator,
        )
        self.assertEqual(
            batch.status, ImportBatch.Status.VALIDATED, batch.file_errors + [r.errors for r in batch.rows.all()]
        )
        self.assertEqual(list(batch.rows.values_list("row_no", flat=True)), [4])  # numbered as in the file
        pipeline.commit(batch=batch, by=self.county_operator)
        self.assertEqual(Household.objects.get().head_name, "周一")


def test_the_template_covers_every_income_item_and_code_field():
    from fupin.registry import income, sheets
    from fupin.registry.rules import HOUSEHOLD_CODES, MEMBER_CODES

    assert set(sheets.INCOME_KEYS[1:]) == set(income.ITEMS) | set(income.RECORDED_ONLY)
    assert set(HOUSEHOLD_CODES) <= set(sheets.HOUSEHOLD_KEYS)
    assert set(MEMBER_CODES) <= {key for key, _header, _parse in sheets.MEMBER_COLUMNS}


def test_the_templates_example_id_number_has_a_valid_check_digit():
    from stdnum.cn import ric

    from fupin.registry.sheets import _examples

    number = _examples()["id_number"]
    assert ric.calc_check_digit(number[:17]) == number[17]

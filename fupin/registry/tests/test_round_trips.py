"""Files that come back: the national system's real export (title row, its exact headers, its reported
income and monitoring columns) and our own export in the template layout, each imported again without
changing anything."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.test import TestCase
from django.urls import reverse

from fupin.accounts.models import User
from fupin.procedures.exits import assess
from fupin.registry.models import Household, IncomeRecord, Member, NationalRecord
from fupin.test import VILLAGE_A, BaseTestCase, person_id, seed_demo_county
from fupin.transfer import pipeline
from fupin.transfer.models import ImportBatch
from fupin.transfer.spec import get_spec

# ../shared/domain.md §2.7: the exact header texts, in order.
NATIONAL_HEADER = (
    "序号 县(市、区、旗) 乡(镇) 行政村 自然村 户编号 人编号 姓名 证件号码 人数 与户主关系 民族 文化程度 "
    "在校生状况 健康状况 劳动技能 务工时间（月） 是否参加大病保险 致贫原因1 危房户 是否解决安全饮用水 人均纯收入 "
    "户联系电话 人联系电话 首次识别时间 人员识别时间 户类型 易返贫致贫户(监测对象)类型 风险是否消除 风险识别时间 "
    "风险消除时间"
).split()
DATA_DATE = dt.date(2020, 12, 31)


class NationalExportTestCase(BaseTestCase):
    def rows(self) -> list[list[str]]:
        county, township, village = (self.region(VILLAGE_A[:n]).name for n in (6, 9, 12))
        place = [county, township, village, "一组", "N7"]
        household = ["因病", "否", "是", "8523.45", "13800000000"]
        monitoring = ["2014-10-01"]
        listed = ["一般脱贫户", "脱贫不稳定户", "是", "2020-03-01", "2020-11-30"]
        head = [*place, "N7-1", "周一", person_id("1970-01-01", 11), "2", "户主", "汉族", "小学", "非在校生", "健康"]
        head += ["普通劳动力", "10", "是", *household, "13900000001", *monitoring, "2014-10-01", *listed]
        wife = [*place, "N7-2", "吴二", person_id("1972-02-02", 22), "2", "配偶", "汉族", "初中", "非在校生", "健康"]
        wife += ["普通劳动力", "0", "否", *household, "", *monitoring, "2014-10-01", *listed]
        return [["1", *head], ["2", *wife]]

    def stage(self, content: bytes, filename: str) -> ImportBatch:
        spec = get_spec("households_national")
        batch = pipeline.stage(
            spec=spec, filename=filename, content=content, by=self.county_operator, data_date=DATA_DATE
        )
        self.assertEqual(
            batch.status, ImportBatch.Status.VALIDATED, batch.file_errors + [r.errors for r in batch.rows.all()]
        )
        return batch

    def xlsx(self) -> bytes:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["已脱贫人口名单"])
        sheet.append(["填报单位：平舆县乡村振兴局", "", "数据日期：2020-12-31"])
        sheet.append(NATIONAL_HEADER)
        for row in self.rows():
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def test_the_real_export_keeps_what_it_reports_and_its_household_can_be_assessed(self):
        batch = self.stage(self.xlsx(), "已脱贫人口名单.xlsx")
        pipeline.commit(batch=batch, by=self.county_operator)
        household = Household.objects.get(household_no="N7")
        self.assertEqual((household.poverty_status, household.size, household.phone), ("exited", 2, "13800000000"))
        self.assertEqual(household.members.get(name="周一").phone, "13900000001")
        # 大病保险 is open only to members of basic medical insurance; "否" leaves it unknown.
        insured = dict(household.members.values_list("name", "has_medical_insurance"))
        self.assertEqual(insured, {"周一": True, "吴二": None})
        record = NationalRecord.objects.get()
        self.assertEqual(
            (record.data_date, record.year, str(record.reported_income_per_capita), record.source_file),
            (DATA_DATE, 2020, "8523.45", "已脱贫人口名单.xlsx"),
        )
        self.assertEqual(
            (record.household_type, record.monitoring_category, record.risk_eliminated),
            ("一般脱贫户", "脱贫不稳定户", True),
        )
        self.assertEqual(
            (record.risk_identified_on, record.risk_eliminated_on), (dt.date(2020, 3, 1), dt.date(2020, 11, 30))
        )
        self.assertFalse(IncomeRecord.objects.exists())  # the register's income is computed, never reported

        income = assess(household, 2020, on=DATA_DATE).criteria[0]
        self.assertTrue(income.passed)
        self.assertEqual(income.value, "8,523.45 元，全国系统报送（数据日期 2020-12-31，文件 已脱贫人口名单.xlsx）")

        self.client.force_login(self.county_operator)
        page = self.client.get(reverse("registry:household", args=[household.pk])).content.decode()
        table = page[page.index('id="national-records"') :]
        for shown in ("2020-12-31", "8523.45", "2020年无", "脱贫不稳定户", "2020-11-30", "已脱贫人口名单.xlsx"):
            self.assertIn(shown, table)

    def test_the_same_rows_as_gb18030_csv_reordered_with_an_extra_column_change_nothing(self):
        pipeline.commit(batch=self.stage(self.xlsx(), "名单.xlsx"), by=self.county_operator)
        histories = (Household.history.count(), Member.history.count(), NationalRecord.history.count())
        order = list(reversed(range(len(NATIONAL_HEADER))))
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["已脱贫人口名单"])
        writer.writerow([*(NATIONAL_HEADER[i] for i in order), "备注"])
        for row in self.rows():
            writer.writerow([*(row[i] for i in order), "无"])
        batch = self.stage(buffer.getvalue().encode("gb18030"), "名单.csv")
        summary = pipeline.commit(batch=batch, by=self.county_operator)
        self.assertEqual((summary["changed"], summary["unchanged"]), (0, 1))
        self.assertEqual((Household.history.count(), Member.history.count(), NationalRecord.history.count()), histories)

    def test_a_later_list_adds_its_own_record_and_bad_monitoring_dates_are_refused(self):
        rows = self.rows()
        for row in rows:
            row[-1], row[-2] = "2020-02-01", "2020-03-01"  # eliminated before identified
        buffer = io.StringIO()
        csv.writer(buffer).writerows([NATIONAL_HEADER, *rows])
        spec = get_spec("households_national")
        batch = pipeline.stage(
            spec=spec,
            filename="x.csv",
            content=buffer.getvalue().encode(),
            by=self.county_operator,
            data_date=DATA_DATE,
        )
        self.assertEqual(batch.status, ImportBatch.Status.INVALID)
        self.assertIn("风险消除时间", batch.rows.get(row_no=2).errors)

    def test_the_list_needs_its_data_date(self):
        self.client.force_login(self.county_operator)
        upload = io.BytesIO(self.xlsx())
        upload.name = "名单.xlsx"
        response = self.client.post(reverse("transfer:upload", args=["households_national"]), {"file": upload})
        self.assertContains(response, "此项必填")
        self.assertFalse(ImportBatch.objects.exists())


class TemplateRoundTripTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo_county()

    def test_the_countys_export_in_the_template_layout_imports_back_with_no_change(self):
        admin = User.objects.get(username="county_operator")
        self.client.force_login(admin)
        url = reverse("registry:export", args=["xlsx"])
        response = self.client.get(url, {"full": "1", "layout": "template"})
        content = b"".join(response.streaming_content)
        households = Household.objects.count()
        histories = (Household.history.count(), Member.history.count(), IncomeRecord.history.count())
        batch = pipeline.stage(spec=get_spec("households"), filename="export.xlsx", content=content, by=admin)
        self.assertEqual(
            batch.error_count, 0, [r.errors for r in batch.rows.exclude(errors={})[:5]] + batch.file_errors
        )
        summary = pipeline.commit(batch=batch, by=admin)
        self.assertEqual((summary["changed"], summary["unchanged"]), (0, households))
        self.assertEqual((Household.history.count(), Member.history.count(), IncomeRecord.history.count()), histories)

    def test_without_full_ids_the_template_layout_is_masked(self):
        operator = User.objects.get(username="township1_operator")
        self.client.force_login(operator)
        response = self.client.get(reverse("registry:export", args=["csv"]), {"full": "1", "layout": "template"})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        member = Member.objects.filter(household__region__code__startswith=operator.region_code).first()
        self.assertNotIn(member.id_number, text)
        self.assertIn(member.id_number[:6] + "********", text)

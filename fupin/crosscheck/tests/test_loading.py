"""A department's list through the one import pipeline: staged in bulk, rows with invalid ID numbers
set aside and listed, 15-digit numbers converted, a wrong header or the same file again refused whole,
a newer period replacing the older one, raw rows seen only by whoever loaded them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from fupin.accounts.roles import Role
from fupin.crosscheck import loading
from fupin.crosscheck.models import DatasetKind, DatasetLoad
from fupin.crosscheck.sheets import spec_of
from fupin.registry.id_numbers import to_eighteen
from fupin.test import COUNTY, PASSWORD, BaseTestCase, make_user, person_id
from fupin.transfer import pipeline
from fupin.transfer.models import ImportBatch

VEHICLES = "身份证号,姓名,车辆类型,号牌号码,登记日期\n"


def csv(*lines: str, header: str = VEHICLES, encoding: str = "utf-8") -> bytes:
    return (header + "".join(line + "\n" for line in lines)).encode(encoding)


def fifteen(eighteen: str) -> str:
    """The first-generation number of a person born in the 1900s: no century, no check digit."""
    return eighteen[:6] + eighteen[8:17]


class LoadingTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.loader = make_user("loader", Role.COUNTY_OPERATOR, COUNTY)
        cls.other_loader = make_user("other_loader", Role.COUNTY_OPERATOR, COUNTY)
        cls.spec = spec_of(DatasetKind.objects.get(code="vehicles"))

    def stage(self, content: bytes, name: str = "车辆.csv", day=dt.date(2026, 10, 1), by=None) -> ImportBatch:
        return pipeline.stage(spec=self.spec, filename=name, content=content, by=by or self.loader, data_date=day)

    def test_valid_rows_are_kept_normalised_and_invalid_ones_set_aside_with_the_reason(self):
        good = person_id("1970-01-01", 11)
        old = person_id("1965-05-05", 13)
        lower_x = next(person_id("1980-02-02", n) for n in range(1, 300) if person_id("1980-02-02", n).endswith("X"))
        batch = self.stage(
            csv(
                f"{good},张三,小型轿车,豫Q12345,2025-01-01",
                f"{fifteen(old)},李四,重型货车,,",
                f" {lower_x.lower()} ,王五,摩托车,,",
                f"{good[:-1]}{(int(good[-1]) + 1) % 10 if good[-1] != 'X' else 0},赵六,小型轿车,,",  # check digit wrong
                "12345,钱七,小型轿车,,",
                f"{person_id('1990-01-01', 21)},孙八,,,",  # the vehicle type is required
            )
        )
        self.assertEqual(batch.status, ImportBatch.Status.VALIDATED)
        self.assertEqual((batch.row_count, batch.error_count), (6, 3))
        load = DatasetLoad.objects.get(batch=batch)
        rows = {r["name"]: r for r in loading.rows_of(load) if r["matched_by"]}
        self.assertEqual(set(rows), {"张三", "李四", "王五"})
        self.assertEqual(rows["李四"]["matched_by"], to_eighteen(fifteen(old)))
        self.assertEqual(rows["李四"]["matched_by"], old)
        self.assertEqual(rows["王五"]["matched_by"], lower_x)
        self.assertEqual((rows["张三"]["vehicle_type"], rows["张三"]["plate"]), ("小型轿车", "豫Q12345"))
        self.assertEqual(rows["张三"]["n"] + load.first_row - 1, 2)  # as the spreadsheet numbers it
        set_aside = {r.row_no: r.errors for r in batch.rows.exclude(errors={})}
        self.assertEqual(sorted(set_aside), [5, 6, 7])
        self.assertIn("不是有效的身份证号码", set_aside[5]["身份证号"])
        self.assertIn("车辆类型", set_aside[7]["车辆类型"])
        self.assertEqual((load.row_count, load.set_aside_count, load.state), (3, 3, DatasetLoad.State.STAGED))
        self.assertEqual(load.period, dt.date(2026, 10, 1))

    def test_a_wrong_header_is_refused_whole_and_keeps_nothing(self):
        batch = self.stage(csv("x,y", header="身份证号,姓名\n"))
        self.assertEqual(batch.status, ImportBatch.Status.INVALID)
        self.assertIn("车辆类型", batch.file_errors[0])
        self.assertFalse(DatasetLoad.objects.exists())
        lists = [t for t in connection.introspection.table_names() if t.startswith("crosscheck_list_")]
        self.assertEqual(lists, [])  # the list's table went with the rolled-back staging

    def test_a_file_without_a_valid_number_keeps_nothing(self):
        batch = self.stage(csv("123,张三,小型轿车,,"))
        self.assertEqual(batch.status, ImportBatch.Status.INVALID)
        self.assertIn("没有一行", batch.file_errors[0])
        self.assertFalse(DatasetLoad.objects.exists())

    def test_the_same_file_twice_is_refused(self):
        content = csv(f"{person_id('1970-01-01', 11)},张三,小型轿车,,")
        self.stage(content)
        with self.assertRaisesMessage(ValidationError, "已经载入"):
            self.stage(content, name="again.csv")
        self.assertEqual(ImportBatch.objects.count(), 1)

    def test_gb18030_with_a_title_row_and_extra_columns(self):
        content = csv(
            f"1,{person_id('1970-01-01', 11)},张三,小型轿车,,,备注",
            header="平舆县机动车登记名单\n序号,公民身份号码,姓名,车辆类型,号牌号码,登记日期,备注\n",
            encoding="gb18030",
        )
        batch = self.stage(content)
        self.assertEqual(batch.status, ImportBatch.Status.VALIDATED, batch.file_errors)
        load = DatasetLoad.objects.get()
        [row] = loading.rows_of(load)
        self.assertEqual((row["name"], row["vehicle_type"], row["n"] + load.first_row - 1), ("张三", "小型轿车", 3))

    def test_committing_puts_it_to_use_and_a_newer_period_replaces_the_older(self):
        october = self.stage(csv(f"{person_id('1970-01-01', 11)},张三,小型轿车,,"))
        with self.captureOnCommitCallbacks(execute=True):
            pipeline.commit(batch=october, by=self.loader)
        november = self.stage(csv(f"{person_id('1970-01-01', 11)},张三,中型客车,,"), day=dt.date(2026, 11, 5))
        with self.captureOnCommitCallbacks(execute=True):
            summary = pipeline.commit(batch=november, by=self.loader)
        self.assertEqual(summary["replaced"], 1)
        states = dict(DatasetLoad.objects.values_list("period", "state"))
        self.assertEqual(states[dt.date(2026, 10, 1)], DatasetLoad.State.SUPERSEDED)
        self.assertEqual(states[dt.date(2026, 11, 1)], DatasetLoad.State.CURRENT)
        september = self.stage(csv(f"{person_id('1970-01-01', 11)},张三,轿车,,"), day=dt.date(2026, 9, 1))
        summary = pipeline.commit(batch=september, by=self.loader)
        self.assertEqual(summary["in_use"], 0)  # an older period is kept, not used

    def test_raw_rows_are_seen_only_by_the_loader(self):
        batch = self.stage(csv(f"{person_id('1970-01-01', 11)},张三,小型轿车,,"))
        url = reverse("transfer:detail", args=[batch.pk])
        self.client.login(username="loader", password=PASSWORD)
        self.assertContains(self.client.get(url), "张三")
        self.client.login(username="other_loader", password=PASSWORD)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(reverse("transfer:report", args=[batch.pk])).status_code, 404)
        self.assertNotContains(self.client.get(reverse("transfer:list")), "车辆.csv")
        self.assertContains(self.client.get(reverse("crosscheck:loads")), "机动车登记")

    def test_the_upload_page_asks_the_period(self):
        self.client.login(username="loader", password=PASSWORD)
        page = self.client.get(reverse("transfer:upload", args=[self.spec.kind]))
        self.assertContains(page, "数据所属期间")


class RetentionTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.loader = make_user("loader", Role.COUNTY_OPERATOR, COUNTY)
        cls.spec = spec_of(DatasetKind.objects.get(code="vehicles"))

    def test_a_replaced_list_is_purged_after_its_retention_and_the_one_in_use_is_kept(self):
        from fupin.crosscheck import retention

        for vehicle, day in (("小型轿车", dt.date(2025, 10, 1)), ("轿车", dt.date(2025, 11, 1))):
            content = csv(f"{person_id('1970-01-01', 11)},张三,{vehicle},,")
            batch = pipeline.stage(
                spec=self.spec, filename=f"{day}.csv", content=content, by=self.loader, data_date=day
            )
            pipeline.commit(batch=batch, by=self.loader)
        self.assertEqual(retention.purge(), 0)  # within the year
        later = dt.datetime.now(dt.UTC) + dt.timedelta(days=366)
        self.assertEqual(retention.purge(now=later), 1)
        replaced, in_use = DatasetLoad.objects.order_by("period")
        self.assertEqual((replaced.state, in_use.state), (DatasetLoad.State.PURGED, DatasetLoad.State.CURRENT))
        tables = connection.introspection.table_names()
        self.assertNotIn(loading.table_of(replaced), tables)
        self.assertIn(loading.table_of(in_use), tables)
        self.assertEqual(retention.purge(now=later), 0)

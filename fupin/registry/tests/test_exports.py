import csv
import datetime as dt
import io

import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent, EventType
from fupin.registry import actions, exports
from fupin.registry.models import Household
from fupin.test import COUNTY, EVERY_PERMISSION, MEMBER_DEFAULTS, BaseTestCase, make_household, make_user, person_id

HEAD = person_id("1970-01-01", 11)


class ExportTestCase(BaseTestCase):
    def setUp(self):
        make_household(
            self.alice, household_no="E1", phone="13912345678", members=[{"name": "钱一", "id_number": HEAD}]
        )
        self.leader = make_user("leader", Role.LEADER, COUNTY)

    def test_csv_streams_the_filtered_people_with_masked_ids_and_is_audited(self):
        self.client.force_login(self.leader)
        response = self.client.get(reverse("registry:export", args=["csv"]), {"q": "钱"})
        self.assertTrue(response.streaming)
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(rows[0], exports.HEADERS)
        self.assertEqual(rows[1][exports.HEADERS.index("证件号码")], "411723********" + HEAD[-4:])
        self.assertEqual(rows[1][exports.HEADERS.index("户/人联系电话")], "139123*5678")
        self.assertEqual(rows[1][exports.HEADERS.index("与户主关系")], "户主")
        event = AuditEvent.objects.get(event_type=EventType.EXPORT)
        self.assertEqual(event.changes["households"], 1)
        self.assertFalse(event.changes["full_id_numbers"])

    def test_full_ids_need_the_permission_and_are_recorded_separately(self):
        self.client.force_login(self.leader)
        self.assertNotContains(self.client.get(reverse("registry:list")), 'data-testid="export-full-ids"')
        response = self.client.get(reverse("registry:export", args=["csv"]), {"full": "1"})
        self.assertNotIn(HEAD, b"".join(response.streaming_content).decode("utf-8-sig"))
        self.client.force_login(self.county_operator)
        self.assertContains(self.client.get(reverse("registry:list")), "导出完整证件号码 .xlsx（将记录日志）")
        response = self.client.get(reverse("registry:export", args=["csv"]), {"full": "1"})
        self.assertIn(HEAD, b"".join(response.streaming_content).decode("utf-8-sig"))
        self.assertEqual(
            AuditEvent.objects.filter(event_type=EventType.SENSITIVE_VIEW, actor=self.county_operator).count(), 1
        )

    def test_each_kind_of_value_becomes_its_cell(self):
        household = Household.objects.get(household_no="E1")
        member = household.members.get()
        member.work_months = 6
        member.save()
        row = next(exports.rows(Household.objects.all(), full_ids=False))
        cell = dict(zip(exports.HEADERS, row, strict=True))
        self.assertEqual((cell["务工时间"], cell["人数"], cell["户编号"]), (6, 1, "E1"))  # numbers stay numbers
        self.assertEqual((cell["脱贫年度"], cell["人员识别时间"]), ("", ""))  # nothing recorded
        self.assertIn(cell["危房户"], ("是", "否"))
        self.assertEqual(cell["首次识别时间"], household.first_identified_on or "")  # a date cell, not its text

    def test_the_workbook_keeps_amounts_as_numbers_and_dates_as_dates(self):
        from decimal import Decimal

        household = Household.objects.get(household_no="E1")
        actions.save_income(by=self.alice, household=household, year=2024, items={"wage_income": Decimal("9000.5")})
        Household.objects.filter(pk=household.pk).update(first_identified_on=dt.date(2014, 10, 1))
        self.client.force_login(self.county_operator)
        content = b"".join(self.client.get(reverse("registry:export", args=["xlsx"])).streaming_content)
        sheet = load_workbook(io.BytesIO(content)).active
        header = [c.value for c in sheet[1]]
        row = [c.value for c in sheet[2]]
        per_capita = row[header.index("人均纯收入")]
        self.assertIsInstance(per_capita, float | int)  # Excel can sum it
        self.assertEqual(per_capita, 9000.5)
        self.assertEqual(row[header.index("首次识别时间")].date(), dt.date(2014, 10, 1))

    def test_xlsx_splits_into_sheets_past_the_row_limit(self):
        make_household(
            self.alice, household_no="E2", members=[{"name": "孙二", "id_number": person_id("1971-01-01", 13)}]
        )
        make_household(
            self.alice, household_no="E3", members=[{"name": "李三", "id_number": person_id("1972-01-01", 15)}]
        )
        workbook = load_workbook(
            exports.xlsx_file(exports.rows(Household.objects.all(), full_ids=False), sheet_rows=2), read_only=True
        )
        self.assertEqual(workbook.sheetnames, ["名单1", "名单2"])
        self.assertEqual(sum(len(list(ws.iter_rows())) - 1 for ws in workbook), 3)

    def test_an_export_round_trips_through_the_national_import(self):
        from fupin.transfer import pipeline
        from fupin.transfer.spec import get_spec

        self.client.force_login(self.county_operator)
        response = self.client.get(reverse("registry:export", args=["xlsx"]), {"full": "1"})
        content = b"".join(response.streaming_content)
        spec = get_spec("households_national")  # a migration: the county administrator's
        day = dt.date(2020, 12, 31)
        batch = pipeline.stage(spec=spec, filename="e.xlsx", content=content, by=self.county_operator, data_date=day)
        self.assertEqual(batch.error_count, 0, [r.errors for r in batch.rows.all()] + batch.file_errors)
        summary = pipeline.commit(batch=batch, by=self.county_operator)
        # the register is as it was; the list's reported figures are kept as such, once
        self.assertEqual((summary["households_updated"], summary["members_updated"]), (0, 0))
        self.assertEqual(summary["national_records_written"], 1)

    def test_operators_without_the_permission_cannot_export(self):
        self.client.force_login(make_user("v", Role.VILLAGE_OPERATOR, "411723101200"))
        self.assertEqual(self.client.get(reverse("registry:export", args=["csv"])).status_code, 403)


def on(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(f"{day}T12:00:00+00:00"))


class SnapshotExportTestCase(BaseTestCase):
    """The registry as it stood at the end of a day, from the history tables."""

    def setUp(self):
        son = {**MEMBER_DEFAULTS, "name": "周二", "id_number": person_id("1995-01-01", 21), "relation_to_head": "03"}
        with on("2024-03-01"):
            self.household = make_household(
                self.alice, household_no="S1", housing_grade="A", members=[{"name": "周一", "id_number": HEAD}, son]
            )
        with on("2025-04-01"):
            actions.update_household(
                by=self.alice, household=self.household, values={"housing_grade": "D", "is_unsafe_housing": True}
            )
            actions.update_member(
                by=self.alice,
                member=self.household.members.get(name="周二"),
                values={"left_on": dt.date(2025, 3, 31), "leave_reason": "02"},
            )
            grandchild = {"name": "周三", "id_number": person_id("2025-01-01", 31), "relation_to_head": "05"}
            actions.add_member(by=self.alice, household=self.household, values={**MEMBER_DEFAULTS, **grandchild})
            make_household(
                self.alice, household_no="S2", members=[{"name": "吴一", "id_number": person_id("1980-01-01", 41)}]
            )
        self.leader = make_user("leader", Role.LEADER, COUNTY)

    def snapshot(self, user, **params) -> list[dict]:
        self.client.force_login(user)
        response = self.client.get(reverse("registry:export", args=["csv"]), params)
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    def test_the_export_as_of_a_year_end_is_the_record_of_that_day(self):
        then = self.snapshot(self.leader, as_of="2024-12-31")
        self.assertEqual(
            [(r["户编号"], r["姓名"], r["危房户"]) for r in then], [("S1", "周一", "否"), ("S1", "周二", "否")]
        )
        self.assertEqual(then[0]["人数"], "2")
        now = self.snapshot(self.leader, as_of="2025-12-31")
        self.assertEqual([(r["户编号"], r["姓名"]) for r in now], [("S1", "周一"), ("S1", "周三"), ("S2", "吴一")])
        self.assertEqual((now[0]["危房户"], now[0]["人数"]), ("是", "2"))
        self.assertEqual(now[0]["证件号码"], "411723********" + HEAD[-4:])
        self.assertEqual(self.snapshot(self.leader, as_of="2023-12-31"), [])
        event = AuditEvent.objects.filter(event_type=EventType.EXPORT).latest("id")
        self.assertEqual(event.changes["filters"], {"as_of": "2023-12-31", "region": COUNTY})

    def test_the_same_day_gives_the_same_rows_after_later_changes(self):
        first = self.snapshot(self.leader, as_of="2024-12-31")
        with on("2026-01-05"):
            actions.update_household(by=self.alice, household=self.household, values={"housing_grade": "B"})
        self.assertEqual(self.snapshot(self.leader, as_of="2024-12-31"), first)

    def test_a_snapshot_stays_within_the_users_region(self):
        self.assertEqual(self.snapshot(self.bob, as_of="2025-12-31"), [])
        self.assertEqual(self.snapshot(self.leader, as_of="2025-12-31", region="411724"), [])
        self.assertEqual(len(self.snapshot(self.alice, as_of="2025-12-31", region="41")), 3)  # her township
        everywhere = make_user("everywhere", EVERY_PERMISSION, "41")
        self.assertEqual(len(self.snapshot(everywhere, as_of="2025-12-31")), 3)  # the whole province


def test_csv_comes_in_chunks_of_whole_lines_after_the_header():
    people = [[f"{i}", "张,三", 'say "hi"'] for i in range(2 * exports.LINES_PER_CHUNK + 1)]
    chunks = list(exports.csv_chunks(people))
    assert len(chunks) == 4
    assert list(csv.reader(io.StringIO(chunks[0].removeprefix("\ufeff")))) == [exports.HEADERS]  # sent at once
    assert all(chunk.endswith("\r\n") for chunk in chunks)
    assert chunks[0].startswith("\ufeff") and "".join(chunks).count("\ufeff") == 1
    rows = list(csv.reader(io.StringIO("".join(chunks).removeprefix("\ufeff"))))
    assert rows == [exports.HEADERS, *people]


def test_csv_of_nobody_is_the_header():
    (chunk,) = exports.csv_chunks([])
    assert list(csv.reader(io.StringIO(chunk.removeprefix("\ufeff")))) == [exports.HEADERS]

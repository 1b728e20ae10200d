import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent, EventType
from fupin.registry import exports
from fupin.registry.models import Household
from fupin.test import COUNTY, BaseTestCase, make_household, make_user, person_id

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
        response = self.client.get(reverse("registry:export", args=["csv"]), {"full": "1"})
        self.assertNotIn(HEAD, b"".join(response.streaming_content).decode("utf-8-sig"))
        self.client.force_login(self.county_admin)
        response = self.client.get(reverse("registry:export", args=["csv"]), {"full": "1"})
        self.assertIn(HEAD, b"".join(response.streaming_content).decode("utf-8-sig"))
        self.assertEqual(
            AuditEvent.objects.filter(event_type=EventType.SENSITIVE_VIEW, actor=self.county_admin).count(), 1
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
        self.assertEqual(cell["首次识别时间"], str(household.first_identified_on or ""))

    def test_xlsx_splits_into_sheets_past_the_row_limit(self):
        make_household(
            self.alice, household_no="E2", members=[{"name": "孙二", "id_number": person_id("1971-01-01", 13)}]
        )
        make_household(
            self.alice, household_no="E3", members=[{"name": "李三", "id_number": person_id("1972-01-01", 15)}]
        )
        workbook = load_workbook(
            exports.xlsx_file(Household.objects.all(), full_ids=False, sheet_rows=2), read_only=True
        )
        self.assertEqual(workbook.sheetnames, ["名单1", "名单2"])
        self.assertEqual(sum(len(list(ws.iter_rows())) - 1 for ws in workbook), 3)

    def test_an_export_round_trips_through_the_national_import(self):
        from fupin.transfer import pipeline
        from fupin.transfer.spec import get_spec

        self.client.force_login(self.county_admin)
        response = self.client.get(reverse("registry:export", args=["xlsx"]), {"full": "1"})
        content = b"".join(response.streaming_content)
        batch = pipeline.stage(spec=get_spec("households_national"), filename="e.xlsx", content=content, by=self.alice)
        self.assertEqual(batch.error_count, 0, [r.errors for r in batch.rows.all()] + batch.file_errors)
        summary = pipeline.commit(batch=batch, by=self.alice)
        self.assertEqual(summary["unchanged"], 1)

    def test_operators_without_the_permission_cannot_export(self):
        self.client.force_login(make_user("v", Role.VILLAGE_OPERATOR, "411723101200"))
        self.assertEqual(self.client.get(reverse("registry:export", args=["csv"])).status_code, 403)

"""The national system's list brings its monitored households into the monitoring record, in the import's
transaction: a listed, not yet eliminated risk opens a case; a later list saying it is eliminated closes
it; loading the same list again changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.urls import reverse

from fupin.monitoring.models import CaseStatus, Channel, MonitoringCase
from fupin.monitoring.panels import monitoring_panel
from fupin.registry.models import Household
from fupin.registry.tests import test_round_trips as national
from fupin.transfer import pipeline
from fupin.transfer.spec import get_spec


class NationalListTestCase(national.NationalExportTestCase):
    # the inherited tests of the national list run in registry/tests/test_round_trips.py
    test_the_real_export_keeps_what_it_reports_and_its_household_can_be_assessed = None
    test_the_same_rows_as_gb18030_csv_reordered_with_an_extra_column_change_nothing = None
    test_a_later_list_adds_its_own_record_and_bad_monitoring_dates_are_refused = None
    test_the_list_needs_its_data_date = None

    def import_rows(self, rows: list[list[str]], data_date: dt.date) -> dict:
        buffer = io.StringIO()
        csv.writer(buffer).writerows([national.NATIONAL_HEADER, *rows])
        batch = pipeline.stage(
            spec=get_spec("households_national"),
            filename=f"名单{data_date}.csv",
            content=buffer.getvalue().encode(),
            by=self.county_operator,
            data_date=data_date,
        )
        self.assertEqual(batch.status, batch.Status.VALIDATED, [r.errors for r in batch.rows.all()])
        return pipeline.commit(batch=batch, by=self.county_operator)

    def listed(self, eliminated: bool) -> list[list[str]]:
        rows = self.rows()
        for row in rows:
            row[-3:] = ["是", "2024-03-01", "2024-11-30"] if eliminated else ["否", "2024-03-01", ""]
        return rows

    def test_a_listed_risk_opens_a_case_and_a_later_list_closes_it(self):
        self.import_rows(self.listed(eliminated=False), dt.date(2024, 6, 30))
        case = MonitoringCase.objects.get()
        household = Household.objects.get(household_no="N7")
        self.assertEqual(
            (case.household, case.category, case.status, case.channel, case.identified_on, case.region_id),
            (household, "1", CaseStatus.MONITORING, Channel.NATIONAL_LIST, dt.date(2024, 3, 1), household.region_id),
        )
        self.assertEqual(case.history.count(), 1)
        again = self.import_rows(self.listed(eliminated=False), dt.date(2024, 6, 30))
        self.assertEqual(again["changed"], 0)
        self.assertEqual((MonitoringCase.objects.count(), case.history.count()), (1, 1))  # nothing twice

        self.import_rows(self.listed(eliminated=True), dt.date(2024, 12, 31))
        case.refresh_from_db()
        self.assertEqual((case.status, case.eliminated_on), (CaseStatus.ELIMINATED, dt.date(2024, 11, 30)))
        self.assertEqual(MonitoringCase.objects.count(), 1)  # the same case, closed: the base record stays

        self.client.force_login(self.county_operator)
        page = self.client.get(reverse("registry:household", args=[household.pk])).content.decode()
        panel = page[page.index('data-testid="monitoring-panel"') :]
        for shown in ("脱贫不稳定户", "2024-03-01", "全国系统名单", "2024-11-30", "风险已消除"):
            self.assertIn(shown, panel)
        # as the household stood on a day before the elimination (the page shows no panels for a day
        # before the record entered the system, so the panel's own function is asked)
        self.assertEqual(monitoring_panel(household, dt.date(2024, 6, 30))["current"], case)
        self.assertIsNone(monitoring_panel(household, dt.date(2024, 12, 1))["current"])
        self.assertEqual(monitoring_panel(household, dt.date(2024, 2, 1))["cases"], [])

    def test_a_household_that_was_never_listed_is_not_monitored(self):
        rows = self.rows()
        for row in rows:
            row[-4:] = ["", "", "", ""]
        self.import_rows(rows, dt.date(2024, 6, 30))
        self.assertFalse(MonitoringCase.objects.exists())
        self.client.force_login(self.county_operator)
        page = self.client.get(reverse("registry:household", args=[Household.objects.get().pk]))
        self.assertContains(page, "未纳入监测")

"""Monitoring by region: rows that add up to the total, counts that lead to their households and clues,
the share decided within the deadline, the risk types, the export; a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fupin.monitoring import clues
from fupin.monitoring.clues import Report
from fupin.monitoring.models import Channel, MonitoringCase
from fupin.test import TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_B, BaseTestCase, make_household, person_id


class FiguresTestCase(BaseTestCase):
    def setUp(self):
        self.households = []
        for n, village in enumerate((VILLAGE_A, VILLAGE_A, VILLAGE_B)):
            household = make_household(
                self.admin_a if village == VILLAGE_A else self.admin_b,
                village=village,
                members=[{"name": f"户主{n}", "id_number": person_id("1970-01-01", 41 + 2 * n)}],
            )
            self.households.append(household)
            MonitoringCase.objects.create(
                household=household,
                region_id=village,
                category="1" if n else "2",
                risks=["01", "0201"] if n == 0 else ["01"],
                identified_on=dt.date(2026, 1, 1),
                channel=Channel.CADRE,
                created_by=self.county_operator,
            )
        old = timezone.now() - dt.timedelta(days=40)
        with mock.patch("django.utils.timezone.now", return_value=old):
            self.late, _new = clues.report(Report(Channel.SELF_REPORT, VILLAGE_A, "甲", "困难"))
        decided, _new = clues.report(Report(Channel.CADRE, VILLAGE_B, "乙", "困难"), by=self.bob)
        clues.close_unconfirmed(by=self.bob, clue=decided, reason="收入稳定")

    def test_the_county_table_adds_up_and_drills_down(self):
        self.client.force_login(self.county_operator)
        response = self.client.get(reverse("monitoring:figures"))
        table = response.context["table"]
        rows = {line.row.code: line.row.figures for line in table.lines}
        self.assertEqual(rows[TOWNSHIP_A]["monitoring"], 2)
        self.assertEqual(rows[TOWNSHIP_B]["monitoring"], 1)
        self.assertEqual(table.total.figures["monitoring"], 3)
        self.assertEqual(table.total.figures["category_1"], 2)
        self.assertEqual((rows[TOWNSHIP_A]["overdue"], rows[TOWNSHIP_B]["decided_in_time"]), (1, 1))
        self.assertEqual(table.total.in_time_share, 100)
        risks = {code: n for code, _label, n in response.context["risks"]}
        self.assertEqual((risks["01"], risks["0201"], risks["03"]), (3, 1, 0))
        self.assertContains(response, f"?monitoring=monitoring&amp;region={TOWNSHIP_A}")
        self.assertEqual(response.context["median_days"], 0)
        township = self.client.get(reverse("monitoring:figures"), {"region": TOWNSHIP_A})
        self.assertEqual(township.context["table"].total.figures["monitoring"], 2)
        clue_list = self.client.get(reverse("monitoring:clues"), {"overdue": "on", "region": TOWNSHIP_A})
        self.assertEqual([c.pk for c in clue_list.context["page"]], [self.late.pk])

    def test_a_township_sees_its_own_and_the_export_is_audited(self):
        self.client.force_login(self.alice)
        table = self.client.get(reverse("monitoring:figures")).context["table"]
        self.assertEqual(table.total.figures["monitoring"], 2)
        export = self.client.get(reverse("monitoring:figures_export"))
        self.assertEqual(export.status_code, 200)

    def test_the_page_takes_a_fixed_number_of_queries(self):
        self.client.force_login(self.county_operator)
        self.client.get(reverse("monitoring:figures"))
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("monitoring:figures"))
        for n in range(3):
            household = make_household(
                self.admin_a, members=[{"name": f"新户{n}", "id_number": person_id("1980-01-01", 61 + 2 * n)}]
            )
            clues.report(
                Report(Channel.CADRE, VILLAGE_A, household.head_name, "困难", household=household), by=self.alice
            )
        with CaptureQueriesContext(connection) as more:
            self.client.get(reverse("monitoring:figures"))
        self.assertEqual(len(few), len(more))

    def test_the_clue_list_takes_a_fixed_number_of_queries(self):
        self.client.force_login(self.county_operator)
        self.client.get(reverse("monitoring:clues"))
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("monitoring:clues"), {"state": "all"})
        for n in range(3):
            clues.report(
                Report(Channel.SELF_REPORT, VILLAGE_A, f"丙{n}", "困难", id_number=person_id("1990-01-01", 71 + 2 * n))
            )
        with CaptureQueriesContext(connection) as more:
            self.client.get(reverse("monitoring:clues"), {"state": "all"})
        self.assertEqual(len(few), len(more))

"""The monitored-household list: by status, category, risk type and name, in the user's region, in a
fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fupin.monitoring.models import CaseStatus, Channel, MonitoringCase
from fupin.test import VILLAGE_B, BaseTestCase, make_household, person_id


class CaseListTestCase(BaseTestCase):
    def case(self, n: int, category: str, risks: list[str], village=None, by=None, **values):
        household = make_household(
            by or self.alice,
            **({"village": village} if village else {}),
            members=[{"name": f"名单{n}", "id_number": person_id("1968-01-01", 101 + 2 * n)}],
        )
        return MonitoringCase.objects.create(
            household=household,
            region_id=household.region_id,
            category=category,
            risks=risks,
            identified_on=dt.date(2026, 1, n + 1),
            channel=Channel.CADRE,
            created_by=self.alice,
            **values,
        )

    def setUp(self):
        self.edge = self.case(0, "2", ["0201", "09"])
        self.ill = self.case(1, "1", ["01"])
        self.gone = self.case(
            2, "1", ["01"], status=CaseStatus.ELIMINATED, eliminated_on=dt.date(2026, 6, 1), elimination_route="natural"
        )
        self.elsewhere = self.case(3, "1", ["01"], village=VILLAGE_B, by=self.bob)

    def listed(self, **params) -> list[int]:
        return [c.pk for c in self.client.get(reverse("monitoring:cases"), params).context["page"]]

    def test_filters_and_scope(self):
        self.client.force_login(self.alice)
        self.assertEqual(set(self.listed()), {self.edge.pk, self.ill.pk})
        self.assertEqual(self.listed(category="2"), [self.edge.pk])
        self.assertEqual(self.listed(risk="01"), [self.ill.pk])  # "01" is not inside "0201"
        self.assertEqual(self.listed(status="eliminated"), [self.gone.pk])
        self.assertEqual(self.listed(q=self.ill.household.household_no), [self.ill.pk])
        self.assertNotIn(self.elsewhere.pk, self.listed(status="all"))

    def test_a_fixed_number_of_queries(self):
        self.client.force_login(self.county_operator)
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("monitoring:cases"))
        for n in range(4, 8):
            self.case(n, "3", ["05"])
        with CaptureQueriesContext(connection) as more:
            response = self.client.get(reverse("monitoring:cases"))
        self.assertEqual(len(response.context["page"]), 7)
        self.assertEqual(len(few), len(more))

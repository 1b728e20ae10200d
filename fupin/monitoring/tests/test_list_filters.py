"""The household list finds monitored households: now, ever, or with the risk eliminated; by category;
by risk type (a code is not found inside a longer one)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from fupin.monitoring import clues
from fupin.monitoring.clues import Report
from fupin.monitoring.models import CaseStatus, Channel, MonitoringCase
from fupin.test import BaseTestCase, make_household, person_id


class ListFilterTestCase(BaseTestCase):
    def setUp(self):
        self.sick = self.case("S1", 11, category="1", risks=["01"])
        self.flooded = self.case("F1", 12, category="3", risks=["0201", "10"])
        self.done = self.case("D1", 13, category="2", risks=["01"], eliminated=True)
        self.plain = make_household(
            self.alice, household_no="P1", members=[{"name": "无", "id_number": person_id("1970-01-01", 14)}]
        )

    def case(self, number: str, seq: int, *, category: str, risks: list[str], eliminated: bool = False):
        household = make_household(
            self.alice, household_no=number, members=[{"name": number, "id_number": person_id("1970-01-01", seq)}]
        )
        MonitoringCase.objects.create(
            household=household,
            region_id=household.region_id,
            category=category,
            risks=risks,
            identified_on=dt.date(2025, 3, 1),
            channel=Channel.CADRE,
            status=CaseStatus.ELIMINATED if eliminated else CaseStatus.MONITORING,
            eliminated_on=dt.date(2025, 12, 1) if eliminated else None,
            created_by=self.alice,
        )
        return household

    def found(self, **query) -> set[str]:
        self.client.force_login(self.alice)
        response = self.client.get(reverse("registry:list"), query)
        return {h.household_no for h in response.context["page"]}

    def test_each_filter_finds_its_households(self):
        self.assertEqual(self.found(monitoring="monitoring"), {"S1", "F1"})
        self.assertEqual(self.found(monitoring="eliminated"), {"D1"})
        self.assertEqual(self.found(monitoring="ever"), {"S1", "F1", "D1"})
        self.assertEqual(self.found(monitoring_category="3"), {"F1"})
        self.assertEqual(self.found(risk="01"), {"S1"})  # not F1's 0201, nor D1's closed case
        self.assertEqual(self.found(risk="0201", monitoring_category="3"), {"F1"})
        self.assertEqual(self.found(), {"S1", "F1", "D1", "P1"})

    def test_the_list_offers_the_filters_by_their_names(self):
        self.client.force_login(self.alice)
        page = self.client.get(reverse("registry:list")).content.decode()
        for shown in ("防止返贫监测：全部", "监测对象类别：全部", "突发严重困难户", "因自然灾害（洪涝）"):
            self.assertIn(shown, page)


class ClueFilterTestCase(BaseTestCase):
    def test_households_by_clue_channel_and_state(self):
        reported = make_household(self.alice, members=[{"name": "线索户", "id_number": person_id("1972-02-02", 97)}])
        make_household(self.alice, members=[{"name": "无线索户", "id_number": person_id("1973-03-03", 99)}])
        clues.report(Report("cadre", reported.region_id, "线索户", "困难", household=reported), by=self.alice)
        self.client.force_login(self.alice)
        for params in ({"clue_channel": "cadre"}, {"clue_state": "open"}, {"clue_state": "checking"}):
            page = self.client.get(reverse("registry:list"), params)
            self.assertEqual([h.pk for h in page.context["page"]], [reported.pk], params)
        self.assertFalse(self.client.get(reverse("registry:list"), {"clue_channel": "self_report"}).context["page"])

"""Both monitoring procedures through the pages, each step done by its own actor: a clue's household
becomes monitored, then its risk is eliminated."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from fupin.monitoring import clues
from fupin.monitoring.clues import Report
from fupin.monitoring.models import CaseStatus, Channel, ClueState, MonitoringCase
from fupin.policy.models import PolicyValue
from fupin.procedures.models import Batch
from fupin.procedures.tests import test_pages as procedure_pages
from fupin.procedures.tests.base import ProcedureTestCase
from fupin.registry import actions as registry_actions
from fupin.test import VILLAGE_A, make_household, person_id


class MonitoringJourneyTestCase(ProcedureTestCase):
    web_step = procedure_pages.WebJourneyTestCase.web_step

    def setUp(self):
        super().setUp()
        for year in range(self.day.year - 1, timezone.localdate().year + 1):
            PolicyValue.objects.get_or_create(
                name="monitoring_line", region_code="41", year=year, defaults={"value": Decimal("8300")}
            )
        self.household = make_household(
            self.alice, poverty_status="exited", members=[{"name": "冯十一", "id_number": person_id("1966-06-16", 95)}]
        )

    def start(self, kind: str, subject_label: str) -> Batch:
        self.client.force_login(self.village_operator)
        response = self.client.post(
            reverse("procedures:create"),
            {"kind": kind, "region": VILLAGE_A, "year": self.day.year, "done_on": self.next_day().isoformat()},
        )
        batch = Batch.objects.filter(procedure__kind=kind).get()
        self.assertRedirects(response, batch.get_absolute_url())
        page = self.client.get(batch.get_absolute_url())
        self.assertContains(page, subject_label)  # offered as a candidate
        subject_pk = page.context["forms"]["add"].fields["subjects"].choices[0][0]
        self.client.post(
            reverse("procedures:add", args=[batch.pk]),
            {"add-version": self.version(batch), "add-subjects": [subject_pk]},
        )
        self.assertEqual(batch.cases.count(), 1)
        return batch

    def test_a_clue_becomes_a_monitored_household_and_its_risk_is_eliminated(self):
        clue, _new = clues.report(
            Report(Channel.CADRE, VILLAGE_A, "冯十一", "务工受伤", household=self.household), by=self.village_operator
        )
        self.client.force_login(self.village_operator)
        self.client.post(reverse("monitoring:clue_act", args=[clue.pk, "check"]), {"category": "1", "risks": ["05"]})
        batch = self.start("monitoring_entry", "冯十一")
        while Batch.objects.get(pk=batch.pk).is_open:
            self.web_step(batch)
        clue.refresh_from_db()
        self.assertEqual(clue.state, ClueState.CONFIRMED)
        case = MonitoringCase.objects.get(household=self.household)
        self.assertEqual((case.status, case.risks), (CaseStatus.MONITORING, ["05"]))

        registry_actions.save_income(
            by=self.alice,
            household=self.household,
            year=timezone.localdate().year - 1,
            items={"wage_income": Decimal("15000")},
        )
        MonitoringCase.objects.filter(pk=case.pk).update(identified_on=timezone.localdate() - dt.timedelta(days=200))
        batch = self.start("risk_elimination", "冯十一")
        while Batch.objects.get(pk=batch.pk).is_open:
            self.web_step(batch)
        case.refresh_from_db()
        self.assertEqual(case.status, CaseStatus.ELIMINATED)
        self.client.force_login(self.alice)
        page = self.client.get(self.household.get_absolute_url())
        self.assertContains(page, "风险已消除")

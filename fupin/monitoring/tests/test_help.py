"""Help within the deadline: a contact and a measure matching each risk type, late only after the
policy's days; and the case's page that sets the contact."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fupin.assistance import actions as assistance_actions
from fupin.assistance import plans
from fupin.assistance.models import MeasureType
from fupin.audit.models import AuditEvent
from fupin.monitoring import helping
from fupin.monitoring.models import Channel, MonitoringCase
from fupin.test import TOWNSHIP_A, BaseTestCase, make_household, person_id


class HelpTestCase(BaseTestCase):
    def setUp(self):
        self.today = timezone.localdate()
        self.household = make_household(
            self.alice, members=[{"name": "何九", "id_number": person_id("1969-09-09", 27)}]
        )
        self.case = MonitoringCase.objects.create(
            household=self.household,
            region_id=self.household.region_id,
            category="3",
            risks=["01", "09"],
            identified_on=self.today - dt.timedelta(days=15),
            channel=Channel.CADRE,
            created_by=self.alice,
        )
        unit = assistance_actions.save_unit(
            by=self.alice, unit=None, values={"name": "杨埠镇卫生院", "level": "township", "region_id": TOWNSHIP_A}
        )
        self.cadre = assistance_actions.save_cadre(
            by=self.alice, cadre=None, values={"unit_id": unit.pk, "name": "许十", "phone": "13700000000"}
        )

    def found(self):
        return helping.review(MonitoringCase.objects.all(), self.today)[0]

    def measure(self, code: str) -> None:
        plan = plans.save_plan(by=self.alice, household=self.household, year=self.today.year)
        plans.save_measure(by=self.alice, plan=plan, values={"measure_type_id": MeasureType.objects.get(code=code).pk})

    def test_late_only_after_the_days_and_until_a_contact_and_a_measure_per_risk(self):
        found = self.found()
        self.assertEqual(found.due, self.today)  # 15 days: due today, not late yet
        self.assertTrue(found.pending)
        self.assertEqual(len(found.missing), 2)  # no contact, no plan
        MonitoringCase.objects.filter(pk=self.case.pk).update(identified_on=self.today - dt.timedelta(days=16))
        self.assertTrue(self.found().late)
        self.measure("health_assistance")
        missing = self.found().missing
        self.assertEqual(len(missing), 2)
        self.assertIn("因学", missing[1])  # schooling still lacks an education measure
        MonitoringCase.objects.filter(pk=self.case.pk).update(contact=self.cadre)
        self.assertEqual(len(self.found().missing), 1)

    def test_the_report_lists_late_households_and_the_case_page_sets_the_contact(self):
        MonitoringCase.objects.filter(pk=self.case.pk).update(identified_on=self.today - dt.timedelta(days=30))
        self.client.force_login(self.alice)
        report = self.client.get(reverse("monitoring:help"))
        self.assertContains(report, "何九")
        self.assertContains(report, "无监测帮扶联系人")
        url = reverse("monitoring:case_edit", args=[self.case.pk])
        response = self.client.post(url, {"category": "3", "risks": ["01", "09"], "contact": self.cadre.pk})
        self.assertRedirects(response, self.case.get_absolute_url(), fetch_redirect_response=False)
        self.case.refresh_from_db()
        self.assertEqual(self.case.contact, self.cadre)
        self.assertTrue(AuditEvent.objects.filter(target_type="monitoring.monitoringcase").exists())
        refused = self.client.post(url, {"category": "3", "risks": []})
        self.assertContains(refused, 'data-testid="error-summary"')
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_report_takes_a_fixed_number_of_queries(self):
        self.client.force_login(self.alice)
        self.client.get(reverse("monitoring:help"), {"show": "all"})
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("monitoring:help"), {"show": "all"})
        for n in range(3):
            household = make_household(
                self.alice, members=[{"name": f"加{n}", "id_number": person_id("1975-05-05", 31 + 2 * n)}]
            )
            MonitoringCase.objects.create(
                household=household,
                region_id=household.region_id,
                category="1",
                risks=["01"],
                identified_on=self.today,
                channel=Channel.CADRE,
                created_by=self.alice,
                contact=self.cadre,
            )
        with CaptureQueriesContext(connection) as more:
            self.client.get(reverse("monitoring:help"), {"show": "all"})
        self.assertEqual(len(few), len(more))

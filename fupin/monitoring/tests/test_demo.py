"""The demo county has monitored households a newcomer can find, in both states, with risks and spending."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from fupin.accounts.models import User
from fupin.monitoring.models import CaseStatus, MonitoringCase, RigidExpenditure
from fupin.test import seed_demo_county


class DemoTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo_county()

    def test_the_demo_has_monitored_households_in_both_states_once(self):
        states = set(MonitoringCase.objects.values_list("status", flat=True))
        self.assertEqual(states, {CaseStatus.MONITORING, CaseStatus.ELIMINATED})
        self.assertTrue(all(case.risks for case in MonitoringCase.objects.all()))
        self.assertTrue(RigidExpenditure.objects.exists())
        count = MonitoringCase.objects.count()
        out = StringIO()
        call_command("seed_demo_monitoring", stdout=out)
        self.assertIn("already seeded", out.getvalue())
        self.assertEqual(MonitoringCase.objects.count(), count)

    def test_a_township_operator_finds_them_in_the_list(self):
        self.client.force_login(User.objects.get(username="township1_operator"))
        response = self.client.get(reverse("registry:list"), {"monitoring": "monitoring"})
        found = {h.pk for h in response.context["page"]}
        expected = MonitoringCase.objects.filter(
            status=CaseStatus.MONITORING, region_id__startswith="411723101"
        ).values_list("household_id", flat=True)
        self.assertTrue(found)
        self.assertEqual(found, set(expected))

"""The demo county has department lists a newcomer can follow: findings of each kind waiting at the
township and the village, a name that differs, a converted 15-digit number and a row set aside."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from fupin.accounts.models import User
from fupin.crosscheck.models import DatasetLoad, Finding
from fupin.lib import inbox
from fupin.test import seed_demo_county


class DemoTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo_county()

    def test_the_demo_has_findings_for_each_level_once(self):
        rules = sorted(Finding.objects.values_list("rule__code", flat=True))
        self.assertEqual(rules, ["death", "medical_costs", "vehicle", "vehicle", "vehicle"])
        self.assertTrue(any(f.name_differs for f in Finding.objects.select_related("member")))
        self.assertEqual(sum(DatasetLoad.objects.values_list("set_aside_count", flat=True)), 1)
        self.assertEqual(Finding.objects.filter(state=Finding.State.VILLAGE).count(), 1)
        out = StringIO()
        call_command("seed_demo_crosscheck", stdout=out)
        self.assertIn("already seeded", out.getvalue())
        self.assertEqual(Finding.objects.count(), 5)

    def test_each_level_finds_its_verifications(self):
        today = timezone.localdate()
        for username, title in (("township1_operator", "核实疑点或转村核实"), ("village11_operator", "入户核实疑点")):
            user = User.objects.get(username=username)
            titles = [item.title for _source, items in inbox.gather(user, today) for item in items]
            self.assertIn(title, titles)
        self.client.force_login(User.objects.get(username="township1_operator"))
        page = self.client.get(reverse("crosscheck:findings"))
        self.assertEqual(page.context["page"].paginator.count, 5)

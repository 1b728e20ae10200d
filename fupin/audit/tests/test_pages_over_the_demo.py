"""The audit trail's pages render every event the demo's own actions write, whatever the shape of its
changes, with the keys named in Chinese (a visit's changes hold a key "items", which a template that
reads `changes.items` took for the dict's method: 500 for every role that reads the trail)."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from fupin.accounts.models import User
from fupin.audit.models import AuditEvent, EventType
from fupin.test import seed_demo_county

RAW_KEYS = ("full_id_numbers", "start_on", "visited_on", "filters", "items", "created", "source", "counts")


class AuditPagesOverTheDemoTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo_county()

    def test_every_page_of_the_trail_renders_for_each_role_that_reads_it(self):
        kinds = set(AuditEvent.objects.values_list("event_type", flat=True))
        self.assertLessEqual({EventType.CREATE, EventType.UPDATE}, kinds)
        self.assertTrue(AuditEvent.objects.filter(changes__has_key="items").exists())  # a visit's
        for username in ("audit_admin", "inspector"):
            self.client.force_login(User.objects.get(username=username))
            page, pages, texts = 1, 1, []
            while page <= pages:
                response = self.client.get(reverse("audit:list") + f"?page={page}")
                self.assertEqual(response.status_code, 200, (username, page))
                pages = response.context["page"].paginator.num_pages
                text = response.content.decode()
                texts.append(text)
                for key in RAW_KEYS:
                    self.assertFalse(f">{key}<" in text, (username, page, key))
                page += 1
            if username != "inspector":  # who may export the trail
                self.assertEqual(self.client.get(reverse("audit:export")).status_code, 200)
            if username == "audit_admin":  # a visit's changes, and a loan entry's kind by its label
                everything = "".join(texts)
                for shown in ("走访日期", "归还本金"):  # a visit's date, a loan entry's kind by its label
                    self.assertTrue(shown in everything, shown)

    def test_an_updates_change_reads_before_and_after_and_amounts_as_money(self):
        from fupin.audit import display

        event = AuditEvent(
            event_type=EventType.UPDATE,
            target_type="projects.project",
            changes={"stage": ["library", "approved"], "allocated": [None, 130000.0], "mark_exit": True},
        )
        self.assertEqual(
            list(display.rows(event)),
            [("进度环节", "入库 → 立项批复"), ("已安排资金（元）", "— → 130,000.00"), ("记录退出", "是")],
        )

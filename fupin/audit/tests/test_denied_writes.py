"""Refused writes are audited: who tried what, from where (a permission check, a forged form)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from fupin.audit import display
from fupin.audit.models import AuditEvent, EventType
from fupin.test import BaseTestCase


class DeniedWriteTestCase(BaseTestCase):
    def test_a_refused_post_is_recorded_with_its_address(self):
        self.client.force_login(self.alice)
        url = reverse("accounts:user_create")
        response = self.client.post(url, {"username": "x"}, REMOTE_ADDR="10.2.3.4")
        self.assertEqual(response.status_code, 403)
        [event] = AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED)
        self.assertEqual((event.actor, event.ip, event.changes["path"]), (self.alice, "10.2.3.4", url))
        self.assertEqual(dict(display.rows(event))["请求方式"], "POST")

    def test_a_refused_read_is_not_a_write_and_a_forged_form_is(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(reverse("accounts:user_create")).status_code, 403)
        self.assertFalse(AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED).exists())
        forged = Client(enforce_csrf_checks=True)
        forged.force_login(self.alice)
        self.assertEqual(forged.post(reverse("accounts:logout")).status_code, 403)
        self.assertEqual(AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED).count(), 1)

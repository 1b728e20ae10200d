from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from fupin.audit.actions import record_event, verify_chain
from fupin.audit.models import AuditEvent, ChainHead, EventType
from fupin.lib.ledger import AppendOnlyError
from fupin.test import TOWNSHIP_A, TOWNSHIP_B, BaseTestCase


def tamper(sql: str, params=()) -> None:
    """Change the table behind the application's back (on PostgreSQL, past its append-only trigger)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending FK checks
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")


class ChainTestCase(BaseTestCase):
    def setUp(self):
        for i in range(5):
            record_event(
                actor=self.alice,
                event_type=EventType.UPDATE,
                target_repr=f"record {i}",
                region_code=TOWNSHIP_A,
                changes={"amount": [i, i + 1], "名称": ["甲", "乙"]},
            )
        self.last = ChainHead.objects.get().seq

    def verify(self) -> str:
        out = StringIO()
        call_command("verify_audit", stdout=out)
        return out.getvalue()

    def test_an_untouched_chain_verifies(self):
        self.assertIn(f"已校验 {self.last} 条记录", self.verify())

    def test_it_finds_an_altered_row(self):
        tamper("UPDATE audit_auditevent SET target_repr = %s WHERE id = %s", ["forged", self.last - 2])
        with self.assertRaisesMessage(CommandError, f"第 {self.last - 2} 条记录写入后被篡改"):
            self.verify()

    def test_it_finds_a_deleted_row(self):
        tamper("DELETE FROM audit_auditevent WHERE id = %s", [self.last - 1])
        report = verify_chain()
        self.assertEqual((report.broken_at, report.reason), (self.last - 1, "missing"))

    def test_it_finds_rows_cut_from_the_end(self):
        tamper("DELETE FROM audit_auditevent WHERE id = %s", [self.last])
        self.assertEqual(verify_chain().reason, "truncated")

    def test_the_application_cannot_change_or_delete_events(self):
        event = AuditEvent.objects.get(id=self.last)
        with self.assertRaises(AppendOnlyError):
            event.save()
        with self.assertRaises(AppendOnlyError):
            event.delete()
        with self.assertRaises(AppendOnlyError):
            AuditEvent.objects.filter(id=self.last).update(target_repr="x")
        with self.assertRaises(AppendOnlyError):
            AuditEvent.objects.all().delete()

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
    def test_postgresql_refuses_raw_updates(self):
        refused = self.assertRaisesMessage(DatabaseError, "append-only")
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET target_repr = 'x' WHERE id = %s", [self.last])


class AuditListTestCase(BaseTestCase):
    def setUp(self):
        record_event(actor=self.alice, event_type=EventType.UPDATE, target_repr="甲村记录", region_code=TOWNSHIP_A)
        record_event(actor=self.bob, event_type=EventType.EXPORT, target_repr="乙村记录", region_code=TOWNSHIP_B)

    def test_an_administrator_sees_only_the_subtree(self):
        self.client.force_login(self.admin_b)
        response = self.client.get(reverse("audit:list"))
        self.assertContains(response, "乙村记录")
        self.assertNotContains(response, "甲村记录")

    def test_it_filters_by_person_region_action_and_date(self):
        self.client.force_login(self.county_admin)
        url = reverse("audit:list")
        self.assertNotContains(self.client.get(url, {"actor": "bob"}), "甲村记录")
        self.assertNotContains(self.client.get(url, {"region": TOWNSHIP_B}), "甲村记录")
        self.assertNotContains(self.client.get(url, {"event_type": "export"}), "甲村记录")
        self.assertContains(self.client.get(url, {"event_type": "update"}), "甲村记录")
        self.assertNotContains(self.client.get(url, {"date_to": "2000-01-01"}), "甲村记录")

    def test_an_export_is_itself_recorded(self):
        self.client.force_login(self.county_admin)
        response = self.client.get(reverse("audit:export"), {"actor": "alice"})
        self.assertEqual(
            response["Content-Type"].split(";")[0], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        event = AuditEvent.objects.filter(event_type=EventType.EXPORT, actor=self.county_admin).get()
        self.assertEqual(event.changes, {"filters": {"actor": "alice"}})

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from fupin.accounts.roles import Role
from fupin.audit.actions import parse_head, record_event, verify_chain
from fupin.audit.models import AuditEvent, ChainHead, EventType
from fupin.lib.ledger import AppendOnlyError
from fupin.test import COUNTY, OTHER_COUNTY, TOWNSHIP_A, TOWNSHIP_B, BaseTestCase, make_user


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

    def rewrite_from(self, first: int, **changes) -> None:
        """What someone with write access to the database but not the key can do: change row `first`
        and re-hash it and every later row (plain SHA-256, or an HMAC with a key of their own), then
        fix the head."""
        prev = AuditEvent.objects.get(id=first - 1).hash if first > 1 else "0" * 64
        for event in AuditEvent.objects.filter(id__gte=first).order_by("id"):
            for name, value in changes.items() if event.id == first else ():
                setattr(event, name, value)
            event.prev_hash = prev
            with self.settings(FUPIN_AUDIT_KEY="a key of the forger's own"):
                event.hash = event.compute_hash(keyed=bool(changes.get("_keyed", True)))
            fields = ["prev_hash", "hash", *[n for n in changes if not n.startswith("_")]]
            sets = ", ".join(f"{n} = %s" for n in fields)
            tamper(
                f"UPDATE audit_auditevent SET {sets} WHERE id = %s",  # noqa: S608 — the test's own column names
                [*[getattr(event, n) for n in fields], event.id],
            )
            prev = event.hash
        tamper("UPDATE audit_chainhead SET hash = %s WHERE id = 1", [prev])

    def test_a_rewrite_without_the_key_is_found(self):
        self.rewrite_from(self.last - 2, target_repr="forged")
        self.assertEqual((verify_chain().broken_at, verify_chain().reason), (self.last - 2, "altered"))

    def test_a_rewrite_of_every_row_in_plain_sha256_is_found(self):
        self.rewrite_from(1, target_repr="forged", _keyed=False)
        self.assertEqual(verify_chain().reason, "unkeyed")
        with self.assertRaisesMessage(CommandError, "未用审计密钥封存"):
            self.verify()

    def test_rows_written_before_the_key_are_accepted_only_before_the_first_keyed_row(self):
        plain = AuditEvent.objects.get(id=1)
        self.assertEqual(plain.seal(), "keyed")
        self.rewrite_from(1, _keyed=False)  # as if all five were written before the key existed
        record_event(actor=self.alice, event_type=EventType.UPDATE, target_repr="after the key")
        self.assertTrue(verify_chain().ok)
        self.assertEqual(AuditEvent.objects.order_by("-id").first().seal(), "keyed")

    def test_rows_cut_from_the_end_with_the_head_fixed_are_found_against_an_exported_head(self):
        exported = (self.last, AuditEvent.objects.get(id=self.last).hash)
        tamper("DELETE FROM audit_auditevent WHERE id = %s", [self.last])
        tamper(
            "UPDATE audit_chainhead SET seq = %s, hash = %s WHERE id = 1",
            [self.last - 1, AuditEvent.objects.get(id=self.last - 1).hash],
        )
        self.assertTrue(verify_chain().ok)  # without an outside record nothing can tell
        self.assertEqual(verify_chain(exported_head=exported).reason, "truncated")
        with self.assertRaisesMessage(CommandError, f"自第 {self.last} 条起的末尾记录已被删除"):
            call_command("verify_audit", head=f"{exported[0]}:{exported[1]}", stdout=StringIO())

    def test_an_exported_head_that_no_longer_matches_is_found(self):
        self.assertEqual(verify_chain(exported_head=(2, "f" * 64)).reason, "head_differs")

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
    def test_postgresql_refuses_raw_updates(self):
        refused = self.assertRaisesMessage(DatabaseError, "append-only")
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET target_repr = 'x' WHERE id = %s", [self.last])


class AuditListTestCase(BaseTestCase):
    def setUp(self):
        record_event(actor=self.alice, event_type=EventType.UPDATE, target_repr="甲村记录", region_code=TOWNSHIP_A)
        record_event(actor=self.bob, event_type=EventType.EXPORT, target_repr="乙村记录", region_code=TOWNSHIP_B)
        record_event(actor=self.charlie, event_type=EventType.UPDATE, target_repr="外县记录", region_code=OTHER_COUNTY)
        self.auditor = make_user("auditor", Role.AUDIT_ADMIN, COUNTY)

    def test_an_audit_administrator_sees_only_the_subtree(self):
        self.client.force_login(self.auditor)
        response = self.client.get(reverse("audit:list"))
        self.assertContains(response, "乙村记录")
        self.assertContains(response, "甲村记录")
        self.assertNotContains(response, "外县记录")

    def test_only_the_audit_administrator_and_inspectors_read_the_trail(self):
        for user in (self.county_admin, self.county_operator, self.national, self.alice):
            self.client.force_login(user)
            self.assertEqual(self.client.get(reverse("audit:list")).status_code, 403, user)

    def test_it_filters_by_person_region_action_and_date(self):
        self.client.force_login(self.auditor)
        url = reverse("audit:list")
        self.assertNotContains(self.client.get(url, {"actor": "bob"}), "甲村记录")
        self.assertNotContains(self.client.get(url, {"region": TOWNSHIP_B}), "甲村记录")
        self.assertNotContains(self.client.get(url, {"event_type": "export"}), "甲村记录")
        self.assertContains(self.client.get(url, {"event_type": "update"}), "甲村记录")
        self.assertNotContains(self.client.get(url, {"date_to": "2000-01-01"}), "甲村记录")

    def test_an_export_is_itself_recorded(self):
        self.client.force_login(self.auditor)
        response = self.client.get(reverse("audit:export"), {"actor": "alice"})
        self.assertEqual(
            response["Content-Type"].split(";")[0], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        event = AuditEvent.objects.filter(event_type=EventType.EXPORT, actor=self.auditor).get()
        self.assertEqual(event.changes, {"filters": {"actor": "alice"}})


class ChainHeadExportTestCase(BaseTestCase):
    def test_the_audit_administrator_exports_the_head_and_verify_audit_checks_against_it(self):
        auditor = make_user("auditor", Role.AUDIT_ADMIN, COUNTY)
        self.client.force_login(auditor)
        self.assertContains(self.client.get(reverse("audit:list")), 'data-testid="export-head"')
        response = self.client.get(reverse("audit:head"))
        text = response.content.decode("utf-8")
        self.assertIn("审计链头", text)
        head = ChainHead.objects.get()
        self.assertEqual(parse_head(text), (head.seq, head.hash))
        self.assertIn(f"事件序号：{head.seq}", text)
        event = AuditEvent.objects.get(id=head.seq)  # the export is the event the head covers
        self.assertEqual(
            (event.event_type, event.target_repr, event.actor), (EventType.EXPORT, "audit_chain_head", auditor)
        )
        path = self.tmp_file(text)
        out = StringIO()
        call_command("verify_audit", head=str(path), stdout=out)
        self.assertIn(f"导出的链头（第 {head.seq} 条）仍在审计记录中，未被改动", out.getvalue())

    def tmp_file(self, text: str):
        import tempfile
        from pathlib import Path

        handle = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8")
        handle.write(text)
        handle.close()
        self.addCleanup(Path(handle.name).unlink)
        return Path(handle.name)

    def test_no_one_else_may_export_the_head(self):
        for user in (
            self.county_admin,
            self.county_operator,
            make_user("insp", Role.INSPECTOR, COUNTY),
        ):
            self.client.force_login(user)
            self.assertEqual(self.client.get(reverse("audit:head")).status_code, 403)

    def test_parse_head_refuses_what_is_not_a_head(self):
        self.assertIsNone(parse_head("12:abc"))
        self.assertIsNone(parse_head("hello"))
        self.assertEqual(parse_head("fupin-audit-head: 7:" + "a" * 64), (7, "a" * 64))

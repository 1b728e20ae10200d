"""Backup and restore round-trip an installation: counts, files and the audit chain come back."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import TransactionTestCase

from fupin import backup
from fupin.accounts.roles import Role
from fupin.audit.actions import verify_chain
from fupin.audit.models import AuditEvent, EventType
from fupin.registry.models import Household
from fupin.test import COUNTY, load_fixture_regions, make_household, make_user, person_id
from fupin.transfer import pipeline
from fupin.transfer.spec import get_spec


@pytest.mark.skipif(
    os.environ.get("FUPIN_DATABASE_URL", "").startswith("postgres") and not shutil.which("pg_dump"),
    reason="pg_dump is not installed",
)
class BackupRoundTripTestCase(TransactionTestCase):
    def setUp(self):
        load_fixture_regions()
        self.admin = make_user("admin_c", Role.COUNTY_OPERATOR, COUNTY)
        make_household(self.admin, household_no="K1")
        content = "区划代码,名称,是否贫困,认定年份,退出年份\n411723,平舆县,是,2011,2019\n".encode()
        spec = get_spec("poor_designation")
        self.batch = pipeline.receive(spec=spec, filename="名单.csv", content=content, by=self.admin)
        self.folder = Path(settings.VAR_DIR) / f"test-backups-{os.getpid()}"

    def tearDown(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    def test_a_backup_restores_counts_files_and_the_audit_chain(self):
        households, events = Household.objects.count(), verify_chain().checked
        archive = backup.create(self.folder)
        self.assertEqual(stat.S_IMODE(archive.stat().st_mode), 0o600)
        self.assertEqual(AuditEvent.objects.order_by("-id").first().changes["report"], "backup")
        upload = Path(self.batch.file.path)
        # afterwards: another household, the upload gone
        make_household(
            self.admin, household_no="K2", members=[{"name": "李四", "id_number": person_id("1980-02-02", 13)}]
        )
        upload.unlink()
        call_command("restore", str(archive), "--yes", verbosity=0)
        connection.close()
        self.assertEqual(Household.objects.count(), households)
        self.assertTrue(upload.exists())
        report = verify_chain()
        self.assertTrue(report.ok)
        # the chain as copied (the backup's own event comes after the copy), then the restore's event
        self.assertEqual(report.checked, events + 1)
        restored = AuditEvent.objects.order_by("-id").first()
        self.assertEqual((restored.event_type, restored.changes["stage"]), (EventType.IMPORT, "restored"))

    def test_a_restore_asks_for_confirmation_and_refuses_what_is_not_a_backup(self):
        with self.assertRaisesMessage(CommandError, "--yes"):
            call_command("restore", "whatever.tar")
        self.folder.mkdir(parents=True)
        bogus = self.folder / "bogus.tar"
        import tarfile

        with tarfile.open(bogus, "w"):
            pass
        with self.assertRaisesMessage(CommandError, "manifest"):
            call_command("restore", str(bogus), "--yes")
        self.assertEqual(Household.objects.count(), 1)

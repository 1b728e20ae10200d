"""Uploaded files and jobs' results are removed after the retention period, each removal audited; the
batch's page keeps its rows and says the file is gone, and a checked batch can no longer be committed."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fupin.audit.models import AuditEvent, EventType
from fupin.jobs.models import Job
from fupin.registry.tests.test_imports import csv_bytes, template_rows
from fupin.test import BaseTestCase
from fupin.transfer import pipeline
from fupin.transfer.models import ImportBatch
from fupin.transfer.spec import get_spec


class RetentionTestCase(BaseTestCase):
    def setUp(self):
        self.batch = pipeline.stage(
            spec=get_spec("households"), filename="名单.csv", content=csv_bytes(template_rows()), by=self.alice
        )
        self.job = Job.objects.create(
            kind="import_report", title="x", owner=self.alice, state=Job.State.DONE, finished_at=timezone.now()
        )
        self.job.result.save("report.xlsx", ContentFile(b"x"))
        self.paths = [self.batch.file.path, self.job.result.path]
        if self.batch.parsed:
            self.paths.append(self.batch.parsed.path)

    def purge(self) -> str:
        out = StringIO()
        call_command("purge_files", stdout=out)
        return out.getvalue()

    def test_nothing_is_removed_within_the_period(self):
        with time_machine.travel(timezone.now() + dt.timedelta(days=89)):
            self.assertIn("删除了 0 个导入和 0 个后台任务结果", self.purge())
        self.assertTrue(all(Path(p).exists() for p in self.paths))

    def test_files_older_than_the_period_are_removed_and_audited(self):
        self.assertEqual(self.batch.status, ImportBatch.Status.VALIDATED)
        with time_machine.travel(timezone.now() + dt.timedelta(days=91)):
            self.assertIn("删除了 1 个导入和 1 个后台任务结果", self.purge())
            self.assertIn("删除了 0 个导入和 0 个后台任务结果", self.purge())  # once
        self.assertFalse(any(Path(p).exists() for p in self.paths))
        self.batch.refresh_from_db()
        self.assertEqual((self.batch.file.name, self.batch.parsed.name), ("", ""))
        events = AuditEvent.objects.filter(event_type=EventType.DELETE, changes__has_key="retention_days")
        self.assertEqual(events.count(), 2)
        self.client.force_login(self.alice)
        page = self.client.get(reverse("transfer:detail", args=[self.batch.pk]))
        self.assertContains(page, 'data-testid="files-removed"')
        self.assertNotContains(page, "提交 ")
        response = self.client.post(reverse("transfer:commit", args=[self.batch.pk]), follow=True)
        self.assertContains(response, "上传文件已超过保留期限被删除")
        response = self.client.get(reverse("transfer:report", args=[self.batch.pk]), follow=True)
        self.assertContains(response, "上传文件已超过保留期限被删除")

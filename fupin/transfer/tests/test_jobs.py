"""Imports run as jobs on the database queue: the page shows progress until a worker has run them."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TransactionTestCase, override_settings
from django.urls import reverse

from fupin.accounts.roles import Role
from fupin.registry.models import Household
from fupin.registry.tests.test_imports import csv_bytes, template_rows
from fupin.test import TOWNSHIP_A, BaseTestCase, load_fixture_regions, make_user
from fupin.transfer.models import ImportBatch

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, stdout=io.StringIO(), stderr=io.StringIO())


class DatabaseQueueTestCase(TransactionTestCase):
    """A real worker commits and closes its connections, so this test runs outside a test transaction."""

    def setUp(self):
        load_fixture_regions()
        self.alice = make_user("alice", Role.TOWNSHIP_OPERATOR, TOWNSHIP_A)

    def test_upload_check_and_commit_run_in_the_worker_with_progress_shown(self):
        self.client.force_login(self.alice)
        with override_settings(TASKS=DATABASE_QUEUE):
            upload = reverse("transfer:upload", args=["households"])
            self.client.post(upload, {"file": SimpleUploadedFile("名单.csv", csv_bytes(template_rows()))})
            batch = ImportBatch.objects.get()
            self.assertEqual(batch.status, ImportBatch.Status.RECEIVED)
            page = self.client.get(reverse("transfer:detail", args=[batch.pk]))
            self.assertContains(page, 'role="progressbar"')
            run_worker()
            batch.refresh_from_db()
            self.assertEqual(batch.status, ImportBatch.Status.VALIDATED)
            poll = self.client.get(
                reverse("transfer:detail", args=[batch.pk]) + "?progress=1", headers={"HX-Request": "true"}
            )
            self.assertEqual(poll["HX-Refresh"], "true")

            self.client.post(reverse("transfer:commit", args=[batch.pk]))
            batch.refresh_from_db()
            self.assertEqual(batch.status, ImportBatch.Status.COMMITTING)
            self.assertFalse(Household.objects.exists())
            run_worker()
        batch.refresh_from_db()
        self.assertEqual(batch.status, ImportBatch.Status.COMMITTED)
        self.assertEqual(Household.objects.get().size, 3)


class RestartTestCase(BaseTestCase):
    def test_a_commit_job_killed_half_way_can_be_run_again(self):
        from unittest import mock

        from fupin.lib import bulk
        from fupin.transfer import pipeline
        from fupin.transfer.spec import get_spec

        batch = pipeline.stage(
            spec=get_spec("households"), filename="x.csv", content=csv_bytes(template_rows()), by=self.alice
        )
        pipeline.request_commit(batch=batch, by=self.alice)
        with mock.patch.object(bulk, "update", side_effect=RuntimeError("killed")):
            with self.assertRaises(RuntimeError):
                pipeline.commit(batch=batch, by=self.alice)
        batch.refresh_from_db()
        self.assertEqual(batch.status, ImportBatch.Status.COMMITTING)  # rolled back to where it was
        self.assertFalse(Household.objects.exists())
        pipeline.commit(batch=batch, by=self.alice)
        self.assertEqual(Household.objects.count(), 1)


class StalledImportTestCase(BaseTestCase):
    def test_a_commit_whose_worker_was_killed_is_offered_again_and_writes_once(self):
        import datetime as dt

        from django.utils import timezone

        from fupin.jobs import progress
        from fupin.jobs.models import Job
        from fupin.transfer import import_jobs, pipeline
        from fupin.transfer.spec import get_spec

        batch = pipeline.stage(
            spec=get_spec("households"), filename="x.csv", content=csv_bytes(template_rows()), by=self.alice
        )
        pipeline.request_commit(batch=batch, by=self.alice)
        # the worker claimed the job and was killed: the job stays "running" and reports nothing more
        job = Job.objects.create(
            kind=import_jobs.COMMIT,
            title="写入",
            owner=self.alice,
            region_code=self.alice.region_code,
            arguments={"batch": batch.pk},
            state=Job.State.RUNNING,
            attempts=1,
            started_at=timezone.now() - dt.timedelta(seconds=progress.KEPT_SECONDS + 1),
        )
        ImportBatch.objects.filter(pk=batch.pk).update(job=job)
        self.client.force_login(self.alice)
        page = self.client.get(reverse("transfer:detail", args=[batch.pk]))
        self.assertContains(page, "任务中途停止")
        self.assertContains(page, reverse("jobs:retry", args=[job.pk]))
        self.client.force_login(self.county_operator)  # someone else sees the state, not the button
        self.assertNotContains(self.client.get(reverse("transfer:detail", args=[batch.pk])), "任务中途停止")
        self.client.force_login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("jobs:retry", args=[job.pk]))
        batch.refresh_from_db()
        self.assertEqual(batch.status, ImportBatch.Status.COMMITTED)
        self.assertEqual(Household.objects.count(), 1)
        with self.captureOnCommitCallbacks(execute=True):  # a second click finds nothing left to do
            self.client.post(reverse("jobs:retry", args=[job.pk]))
        self.assertEqual(Household.objects.count(), 1)

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

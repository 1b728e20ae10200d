"""A running import reports its steps: the page shows which one and how far the job has got."""

from __future__ import annotations

from unittest import mock

from django.urls import reverse

from fupin.jobs import progress
from fupin.jobs.models import Job
from fupin.registry.tests.test_imports import csv_bytes, template_rows
from fupin.test import BaseTestCase
from fupin.transfer import import_jobs, pipeline
from fupin.transfer.models import ImportBatch
from fupin.transfer.spec import get_spec


class ImportJobProgressTestCase(BaseTestCase):
    def _recorded(self, run) -> list[tuple[str, int]]:
        """The steps and percentages a job reported while `run` ran, a step once however often."""
        reports = []
        report = progress._Job.report

        def recording(job, percent, *, force=False):
            reports.append((job.step, int(percent)))
            report(job, percent, force=force)

        with mock.patch.object(progress._Job, "report", recording):
            run()
        steps = [s for i, (s, _p) in enumerate(reports) if i == 0 or reports[i - 1][0] != s]
        percents = [p for _s, p in reports]
        self.assertEqual(percents, sorted(percents))
        return steps

    def test_checking_and_committing_a_household_file_report_each_step(self):
        batches = []
        steps = self._recorded(
            lambda: batches.append(
                import_jobs.upload(
                    spec=get_spec("households"), filename="x.csv", content=csv_bytes(template_rows()), by=self.alice
                )
            )
        )
        [batch] = batches
        self.assertEqual(
            steps,
            [
                "Reading every row",
                "Checking the rules",
                "Checking people and households",
                "Checking against the registry",
                "Saving the result of the check",
            ],
        )
        batch.refresh_from_db()
        steps = self._recorded(lambda: import_jobs.commit(batch=batch, by=self.alice))
        self.assertEqual(
            steps,
            [
                "Reading the checked rows",
                "Checking against the data as it is now",
                "Writing",
                "Comparing with the registry",
                "Writing households, members and incomes",
                "Running the data-quality checks",
            ],
        )
        batch.refresh_from_db()
        self.assertEqual(batch.status, ImportBatch.Status.COMMITTED)
        self.assertIsNone(progress.of(batch.job_id))
        self.assertEqual((batch.job.state, batch.job.percent), (Job.State.DONE, 100))

    def test_the_page_shows_the_running_step_in_the_readers_language(self):
        batch = pipeline.stage(
            spec=get_spec("households"), filename="x.csv", content=csv_bytes(template_rows()), by=self.alice
        )
        pipeline.request_commit(batch=batch, by=self.alice)
        batch.job = Job.objects.create(
            kind=import_jobs.COMMIT, title="x", owner=self.alice, arguments={"batch": batch.pk}
        )
        batch.save(update_fields=["job"])
        self.client.force_login(self.alice)
        poll = reverse("transfer:detail", args=[batch.pk]) + "?progress=1"
        waiting = self.client.get(poll, headers={"HX-Request": "true"})
        self.assertContains(waiting, "等待后台任务开始")
        with progress.running(batch.job_id):
            progress.step("Reading the checked rows", 30)
            progress.step("Writing households, members and incomes", 80)
            page = self.client.get(poll, headers={"HX-Request": "true"})
            self.assertContains(page, "写入户、成员和收入…")
            self.assertContains(page, 'aria-valuenow="30"')
            self.client.cookies.load({"django_language": "en"})
            polled = self.client.get(poll, headers={"HX-Request": "true"})
            self.assertContains(polled, "Writing households, members and incomes…")

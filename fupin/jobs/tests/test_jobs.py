"""The one background-job mechanism: a job runs, reports, ends with a result or an error, and a job
that failed or was killed half-way runs again without doing its work twice."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal
from unittest import mock

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fupin.audit.models import AuditEvent, EventType
from fupin.jobs import progress, runner
from fupin.jobs.models import Job
from fupin.lib import inbox
from fupin.policy.models import PolicyValue
from fupin.test import BaseTestCase

ATTEMPTS: list[int] = []


def _write_lines(job: Job) -> runner.Outcome:
    """Writes three values in one transaction; on its first run it is killed after the second."""
    ATTEMPTS.append(job.attempts)
    with transaction.atomic():
        for i in range(3):
            progress.step("Writing", (i + 1) * 33)
            PolicyValue.objects.create(name=f"job_test_{i}", year=2026, value=Decimal(i))
            if job.attempts == 1 and i == 1:
                raise RuntimeError("killed half-way")
    return runner.Outcome("lines.csv", "名称,值\n".encode())


def _refuse(job: Job) -> None:
    raise ValidationError("文件已被删除，无法继续。")


class JobTestCase(BaseTestCase):
    def setUp(self):
        ATTEMPTS.clear()
        runner.register(runner.JobKind("test_lines", "writing lines", _write_lines))
        runner.register(runner.JobKind("test_refuse", "refusing", _refuse))
        self.addCleanup(runner.KINDS.pop, "test_lines")
        self.addCleanup(runner.KINDS.pop, "test_refuse")

    def rerun(self, job: Job) -> None:
        with self.captureOnCommitCallbacks(execute=True):  # queued once the retry commits
            runner.retry(job=job, by=self.alice)

    def written(self) -> int:
        return PolicyValue.objects.filter(name__startswith="job_test_").count()

    def test_a_job_killed_half_way_writes_nothing_and_runs_again_once(self):
        job = runner.start(kind="test_lines", by=self.alice, title="写三行")  # runs at once in tests
        job.refresh_from_db()
        self.assertEqual((job.state, job.attempts, self.written()), (Job.State.FAILED, 1, 0))
        self.assertEqual((job.percent, job.phase), (33, "Writing"))  # where it stopped: its second third began
        self.assertIn("RuntimeError", job.error)
        self.assertNotIn("killed half-way", job.error)  # an exception's own text stays in the server's log
        self.assertTrue(runner.may_retry(job))

        self.rerun(job)
        job.refresh_from_db()
        self.assertEqual((job.state, job.attempts, job.error, self.written()), (Job.State.DONE, 2, "", 3))
        self.assertEqual(ATTEMPTS, [1, 2])
        self.assertTrue(job.result.name.endswith(".csv"))
        self.assertTrue(AuditEvent.objects.filter(event_type=EventType.UPDATE, target_id=str(job.pk)).exists())
        with self.assertRaises(ValidationError):  # a finished job does not run again
            runner.retry(job=job, by=self.alice)

    def test_a_rules_refusal_is_shown_in_its_own_words(self):
        job = runner.start(kind="test_refuse", by=self.alice, title="拒绝")
        job.refresh_from_db()
        self.assertEqual((job.state, job.error), (Job.State.FAILED, "文件已被删除，无法继续。"))

    def test_only_the_owner_runs_it_again(self):
        job = runner.start(kind="test_refuse", by=self.alice, title="拒绝")
        with self.assertRaises(PermissionDenied):
            runner.retry(job=job, by=self.county_operator)

    def test_a_running_job_that_stopped_reporting_is_stalled_and_can_run_again(self):
        job = Job.objects.create(kind="test_lines", title="x", owner=self.alice, region_code=self.alice.region_code)
        long_ago = timezone.now() - dt.timedelta(seconds=progress.KEPT_SECONDS + 60)
        Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, started_at=long_ago, attempts=1)
        job.refresh_from_db()
        self.assertTrue(runner.is_stalled(job))
        with progress.running(job.pk):  # a job still reporting is not stalled, however long it runs
            progress.step("Writing", 50)
            self.assertFalse(runner.is_stalled(job))
        ATTEMPTS.clear()
        self.rerun(job)
        job.refresh_from_db()
        self.assertEqual((job.state, self.written(), ATTEMPTS), (Job.State.DONE, 3, [2]))

    def test_a_running_job_holds_its_lease_between_reports(self):
        """One long statement reports nothing: the worker's heartbeat still renews the lease, and it
        ends with the job (a killed worker's heartbeat dies with it)."""
        job = Job.objects.create(kind="test_lines", title="x", owner=self.alice, region_code=self.alice.region_code)
        with mock.patch.object(progress, "HEARTBEAT_SECONDS", 0.01), progress.running(job.pk):
            progress.step("Writing", 50)
            cache.delete(progress._key(job.pk))  # as if the lease had run out since the last report
            deadline = time.monotonic() + 5
            while progress.of(job.pk) is None and time.monotonic() < deadline:
                time.sleep(0.01)
            self.assertEqual(progress.of(job.pk).step, "Writing")
        self.assertIsNone(progress.of(job.pk))
        self.assertFalse(any(t.name == f"job-{job.pk}-heartbeat" for t in threading.enumerate()))

    def test_a_claimed_job_is_not_run_twice(self):
        job = Job.objects.create(kind="test_lines", title="x", owner=self.alice, state=Job.State.RUNNING)
        self.assertIsNone(runner.execute(job.pk))
        self.assertEqual(ATTEMPTS, [])

    def test_the_owner_is_told_of_a_failure_and_of_a_result_until_it_is_downloaded(self):
        job = runner.start(kind="test_lines", by=self.alice, title="写三行")
        today = timezone.localdate()
        titles = lambda user: [i.title for _s, items in inbox.gather(user, today) for i in items]  # noqa: E731
        self.assertEqual(titles(self.alice), ["任务失败：请查看原因或重新运行"])
        self.assertEqual(titles(self.bob), [])
        self.rerun(job)
        self.assertEqual(titles(self.alice), ["任务已完成：请下载结果"])
        self.client.force_login(self.alice)
        response = self.client.get(reverse("jobs:result", args=[job.pk]))
        self.assertEqual(b"".join(response.streaming_content).decode(), "名称,值\n")
        self.assertEqual(titles(self.alice), [])
        self.assertTrue(AuditEvent.objects.filter(event_type=EventType.EXPORT, target_id=str(job.pk)).exists())


class JobPageTestCase(BaseTestCase):
    def setUp(self):
        runner.register(runner.JobKind("test_refuse", "refusing", _refuse))
        self.addCleanup(runner.KINDS.pop, "test_refuse")

    def test_the_page_lists_the_users_own_jobs_with_progress_and_a_retry(self):
        failed = runner.start(kind="test_refuse", by=self.alice, title="阿丽斯的任务")
        running = Job.objects.create(
            kind="test_refuse", title="正在运行", owner=self.alice, region_code=self.alice.region_code
        )
        Job.objects.filter(pk=running.pk).update(state=Job.State.RUNNING, started_at=timezone.now())
        self.client.force_login(self.alice)
        with mock.patch.object(progress, "REPORT_EVERY", 0), progress.running(running.pk):
            progress.step("Writing households, members and incomes", 40)
            progress.advance(1, 2)  # half of the step: 20 %
            # the jobs, their kinds and the live progress of the running one
            # session, user, count, the page of jobs, the menu's region path; the session saved (3)
            with self.assertNumQueries(8):
                page = self.client.get(reverse("jobs:list")).content.decode()
        self.assertIn("阿丽斯的任务", page)
        self.assertIn("文件已被删除，无法继续。", page)
        self.assertIn("写入户、成员和收入…", page)
        self.assertIn('aria-valuenow="20"', page)
        self.assertIn('hx-trigger="every 2s"', page)  # polls while one runs
        self.assertIn(reverse("jobs:retry", args=[failed.pk]), page)
        self.client.force_login(self.bob)
        other = self.client.get(reverse("jobs:list")).content.decode()
        self.assertNotIn("阿丽斯的任务", other)
        self.assertEqual(self.client.post(reverse("jobs:retry", args=[failed.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("jobs:result", args=[failed.pk])).status_code, 404)

"""A running import reports its steps: the page shows which one and how far the job has got."""

from __future__ import annotations

from unittest import mock

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from fupin.registry.tests.test_imports import csv_bytes, template_rows
from fupin.test import BaseTestCase
from fupin.transfer import pipeline, progress, tasks
from fupin.transfer.models import ImportBatch
from fupin.transfer.spec import get_spec


def test_outside_a_job_nothing_is_reported():
    progress.step("Reading the file", 50)
    progress.advance(1, 2)
    with progress.dividing():
        progress.step("Writing", 100)
    assert progress.of(7) is None


def test_a_step_starts_where_the_last_ended_and_advances_through_its_share(monkeypatch):
    monkeypatch.setattr(progress, "REPORT_EVERY", 0)
    with progress.job(7):
        progress.step("Reading the file", 30)
        assert progress.of(7) == progress.Progress(0, "Reading the file", 0)
        progress.step("Reading every row", 50)
        progress.advance(500, 1000)
        assert progress.of(7).percent == 40
        progress.advance(5000, 1000)  # never beyond the step's end
        assert progress.of(7).percent == 50
    assert progress.of(7) is None  # the job ended: the page waits for the batch's status


def test_steps_inside_a_step_divide_it(monkeypatch):
    monkeypatch.setattr(progress, "REPORT_EVERY", 0)
    with progress.job(7):
        progress.step("Checking against the data as it is now", 20)
        progress.step("Writing", 100)
        with progress.dividing():
            progress.step("Writing households", 25)
            assert (progress.of(7).percent, progress.of(7).step) == (20, "Writing households")
            progress.step("Writing members", 50)
            assert progress.of(7).percent == 40
            progress.advance(1, 2)
            assert progress.of(7).percent == 50
        progress.step("Saving", 100)
        assert (progress.of(7).percent, progress.of(7).step) == (100, "Saving")


def test_a_failed_job_leaves_no_progress_behind():
    try:
        with progress.job(7):
            progress.step("Writing", 50)
            raise RuntimeError
    except RuntimeError:
        pass
    assert progress.of(7) is None


def test_a_cache_that_cannot_be_written_does_not_stop_the_job():
    with (
        mock.patch.object(progress.cache, "set", side_effect=OSError("disk full")),
        mock.patch.object(progress.cache, "delete", side_effect=OSError("disk full")),
    ):
        with progress.job(7):
            progress.step("Writing", 50)
            progress.advance(1, 2)


# A job's steps, possibly divided, each with some of its items reported done.
STEPS = st.recursive(
    st.tuples(st.integers(0, 100), st.lists(st.integers(0, 120), max_size=3)),
    lambda inner: st.tuples(st.integers(0, 100), st.lists(inner, max_size=3)),
    max_leaves=12,
)


@given(st.lists(STEPS, max_size=5))
def test_progress_never_goes_back_nor_beyond_100(steps):
    reports = []

    def run(step_list):
        for until, inside in step_list:
            progress.step("Writing", until)
            reports.append(progress.of(7).percent)
            if inside and isinstance(inside[0], tuple):
                with progress.dividing():
                    run(inside)
            else:
                for done in inside:
                    progress.advance(done, 100)
                    reports.append(progress.of(7).percent)

    with mock.patch.object(progress, "REPORT_EVERY", 0), progress.job(7):
        run(steps)
    assert reports == sorted(reports)
    assert all(0 <= p <= 100 for p in reports)


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
        batch = pipeline.receive(
            spec=get_spec("households"), filename="x.csv", content=csv_bytes(template_rows()), by=self.alice
        )
        steps = self._recorded(lambda: tasks.check_batch.call(batch.pk))
        self.assertEqual(
            steps,
            [
                "Reading the file",
                "Reading every row",
                "Checking the rules",
                "Checking people and households",
                "Checking against the registry",
                "Saving the result of the check",
            ],
        )
        pipeline.request_commit(batch=batch, by=self.alice)
        steps = self._recorded(lambda: tasks.commit_batch.call(batch.pk, self.alice.pk))
        self.assertEqual(
            steps,
            [
                "Reading the checked rows",
                "Checking against the data as it is now",
                "Writing",
                "Comparing with the registry",
                "Writing households",
                "Writing members",
                "Writing income records",
                "Running the data-quality checks",
            ],
        )
        batch.refresh_from_db()
        self.assertEqual(batch.status, ImportBatch.Status.COMMITTED)
        self.assertIsNone(progress.of(batch.pk))

    def test_the_page_shows_the_running_step_in_the_readers_language(self):
        batch = pipeline.stage(
            spec=get_spec("households"), filename="x.csv", content=csv_bytes(template_rows()), by=self.alice
        )
        pipeline.request_commit(batch=batch, by=self.alice)
        self.client.force_login(self.alice)
        poll = reverse("transfer:detail", args=[batch.pk]) + "?progress=1"
        waiting = self.client.get(poll, headers={"HX-Request": "true"})
        self.assertContains(waiting, "等待后台任务开始")
        with progress.job(batch.pk):
            progress.step("Reading the checked rows", 30)
            progress.step("Writing members", 80)
            page = self.client.get(poll, headers={"HX-Request": "true"})
            self.assertContains(page, "写入家庭成员…")
            self.assertContains(page, 'aria-valuenow="30"')
            self.client.cookies.load({"django_language": "en"})
            self.assertContains(self.client.get(poll, headers={"HX-Request": "true"}), "Writing members…")

"""A running job reports its steps: a step starts where the last ended, and never goes back."""

from __future__ import annotations

from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from fupin.jobs import progress


def test_outside_a_job_nothing_is_reported():
    progress.step("Reading the file", 50)
    progress.advance(1, 2)
    with progress.dividing():
        progress.step("Writing", 100)
    assert progress.of(7) is None


def test_a_step_starts_where_the_last_ended_and_advances_through_its_share(monkeypatch):
    monkeypatch.setattr(progress, "REPORT_EVERY", 0)
    with progress.running(7):
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
    with progress.running(7):
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
        with progress.running(7):
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
        with progress.running(7):
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

    with mock.patch.object(progress, "REPORT_EVERY", 0), progress.running(7):
        run(steps)
    assert reports == sorted(reports)
    assert all(0 <= p <= 100 for p in reports)

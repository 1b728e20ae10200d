"""Starting, running and re-running background jobs: the one mechanism for long work.

A capability registers a kind of job (`register(JobKind(...))`) in its `AppConfig.ready`: a function
that does the work for a `Job` (reporting its steps through `jobs.progress`) and may return a file for
its owner to download. `start` keeps the job as a row and queues it on the database queue once the
caller's transaction commits; the worker (`manage.py db_worker`) claims it, runs it, and keeps how it
ended in the row. A job that failed, or whose worker was killed half-way (it stopped reporting), can be
run again from the jobs page: a kind's work is one transaction, or starts again from the beginning, so
running it twice does it once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django_tasks import task

from fupin.audit.actions import record_event, record_export
from fupin.audit.context import current_ip, requested_from
from fupin.audit.models import EventType

from . import progress
from .models import Job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """A file a job leaves for its owner (an export, a report)."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class JobKind:
    name: str
    label: Promise
    run: Callable[[Job], Outcome | None]
    # Whether its end is an item of its owner's to-do inbox (an import's is not: its batch says what next).
    notify: bool = True
    # Whether the job may run again after it failed (a kind whose failure needs a new start says no).
    can_retry: Callable[[Job], bool] = lambda job: True


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    KINDS[kind.name] = kind
    return kind


def start(*, kind: str, by, title: str, arguments: dict | None = None, url: str = "") -> Job:
    """Keep a job for `by` and queue it when the caller's transaction commits (at once outside one),
    so that the worker never looks for a row it cannot see yet."""
    if kind not in KINDS:
        raise ValueError(f"no job kind {kind!r}")
    job = Job.objects.create(
        kind=kind,
        title=title[:200],
        arguments=arguments or {},
        owner=by,
        region_code=by.region_code,
        url=url,
        requested_from=current_ip(),
    )
    _queue(job)
    return job


def _queue(job: Job) -> None:
    transaction.on_commit(lambda: run_job.enqueue(job.pk))


@task()
def run_job(job_id: int) -> None:
    execute(job_id)


def execute(job_id: int) -> Job | None:
    """Claim a queued job, run it, keep how it ended. Returns None when another worker has it."""
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now(), finished_at=None, error="", attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    job = Job.objects.select_related("owner").get(pk=job_id)
    ended = {"state": Job.State.DONE, "percent": 100}
    with progress.running(job.pk), requested_from(job.requested_from):
        try:
            outcome = KINDS[job.kind].run(job)
        except Exception as e:  # noqa: BLE001  (a job's failure is its state, shown to its owner)
            percent, phase = progress.last(job.pk)
            ended = {"state": Job.State.FAILED, "error": _failure(job, e), "percent": percent, "phase": phase[:100]}
            outcome = None
    if outcome is not None:
        job.result.save(outcome.filename, ContentFile(outcome.content), save=False)
        ended["result"] = job.result.name
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now(), **ended)
    job.refresh_from_db()
    return job


def _failure(job: Job, error: Exception) -> str:
    """What the owner reads: a rule's own words; anything else only as a failure (the server's log has
    it, since an exception's text may quote data the owner may not see)."""
    if isinstance(error, ValidationError):
        return "；".join(error.messages)[:2000]
    log.exception("background job %s (%s) failed", job.pk, job.kind)
    return _("The job stopped with an error of the system (%(error)s); the server's log has the details.") % {
        "error": type(error).__name__
    }


def is_stalled(job: Job, now: dt.datetime | None = None) -> bool:
    """A running job that has reported nothing for longer than a report is kept: its worker is gone."""
    if job.state != Job.State.RUNNING or job.started_at is None:
        return False
    now = now or timezone.now()
    quiet = now - job.started_at > dt.timedelta(seconds=progress.KEPT_SECONDS)
    return quiet and progress.of(job.pk) is None


def may_retry(job: Job) -> bool:
    kind = KINDS.get(job.kind)
    stopped = job.state == Job.State.FAILED or is_stalled(job)
    return kind is not None and stopped and kind.can_retry(job)


@transaction.atomic
def retry(*, job: Job, by) -> Job:
    """Run a failed or stalled job again, for its owner."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.owner_id != by.pk:
        raise PermissionDenied
    if not may_retry(job):
        raise ValidationError(_("Only a job that failed or stopped half-way can be run again."))
    if not Job.objects.filter(pk=job.pk, state=job.state).update(
        state=Job.State.QUEUED, error="", requested_from=current_ip()
    ):
        raise ValidationError(_("The job has changed meanwhile; reload the page."))
    record_event(
        actor=by,
        event_type=EventType.UPDATE,
        target=job,
        region_code=job.region_code,
        changes={"state": [job.state, Job.State.QUEUED]},
    )
    job.refresh_from_db()
    _queue(job)
    return job


def fetch_result(*, job: Job, by) -> Job:
    """The owner downloads the job's file: the first time ends its to-do item; every time is audited."""
    if job.owner_id != by.pk or not job.result:
        raise PermissionDenied
    record_export(by=by, target=job, region_code=job.region_code, file=job.result.name)
    Job.objects.filter(pk=job.pk, result_fetched_at__isnull=True).update(result_fetched_at=timezone.now())
    return job

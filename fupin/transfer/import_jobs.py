"""The import pipeline's background jobs, on the one job mechanism (`fupin.jobs`): checking an uploaded
file and committing a checked one. Either can be killed and run again: checking starts again from the
file, and committing is one transaction that claims the batch."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.jobs import runner
from fupin.jobs.models import Job
from fupin.permissions import Perm

from . import pipeline
from .models import ImportBatch
from .spec import SheetSpec

CHECK = "import_check"
COMMIT = "import_commit"
REPORT = "import_report"
# A checked sheet with more rows than this is written by the worker, not within the request (a web
# worker's timeout is 30 s; 300,000 rows take minutes).
REPORT_INLINE_ROWS = 20_000


def _batch(job: Job) -> ImportBatch:
    return ImportBatch.objects.select_related("created_by").get(pk=job.arguments["batch"])


def _check(job: Job) -> None:
    batch = _batch(job)
    if batch.status != ImportBatch.Status.RECEIVED:
        return
    batch.rows.all().delete()  # a re-run starts from the file again
    try:
        pipeline.check(batch)
    except Exception:
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.INVALID)
        raise


def _commit(job: Job) -> None:
    batch = _batch(job)
    if batch.status != ImportBatch.Status.COMMITTING:
        return
    try:
        pipeline.commit(batch=batch, by=job.owner)
    except Exception:  # rolled back: the batch can be committed again (a rule's words are the job's error)
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.VALIDATED)
        raise


def _report(job: Job) -> runner.Outcome:
    batch = _batch(job)
    full = job.arguments.get("full_numbers", False)
    return runner.Outcome(f"import-{batch.pk}-report.xlsx", pipeline.error_report(batch, reveal=full))


def _in(status: str):
    return lambda job: ImportBatch.objects.filter(pk=job.arguments["batch"], status=status).exists()


runner.register(
    runner.JobKind(
        CHECK, gettext_lazy("checking an import"), _check, notify=False, can_retry=_in(ImportBatch.Status.RECEIVED)
    )
)
runner.register(
    runner.JobKind(
        COMMIT, gettext_lazy("writing an import"), _commit, notify=False, can_retry=_in(ImportBatch.Status.COMMITTING)
    )
)

runner.register(runner.JobKind(REPORT, gettext_lazy("writing an import's checked sheet"), _report))


def report(*, batch: ImportBatch, by) -> Job:
    """Write a large batch's checked sheet in the worker: its owner downloads it from the jobs page."""
    title = _("Checked sheet of %(file)s") % {"file": batch.original_name}
    full = by.has_perm(Perm.VIEW_FULL_ID)  # its owner alone downloads it
    if full:
        pipeline.record_full_numbers(by, batch, "import_report")
    url = reverse("transfer:detail", args=[batch.pk])
    return runner.start(kind=REPORT, by=by, title=title, arguments={"batch": batch.pk, "full_numbers": full}, url=url)


def _start(kind: str, batch: ImportBatch, by, title: str) -> Job:
    url = reverse("transfer:detail", args=[batch.pk])
    job = runner.start(kind=kind, by=by, title=title, arguments={"batch": batch.pk}, url=url)
    ImportBatch.objects.filter(pk=batch.pk).update(job=job)
    batch.job = job
    return job


def upload(*, spec: SheetSpec, filename: str, content: bytes, by, data_date=None) -> ImportBatch:
    """Keep an upload as a batch and start the job that checks it."""
    batch = pipeline.receive(spec=spec, filename=filename, content=content, by=by, data_date=data_date)
    _start(CHECK, batch, by, _("Checking %(file)s") % {"file": batch.original_name})
    return batch


def commit(*, batch: ImportBatch, by) -> None:
    """Claim a checked batch for writing and start the job that writes it."""
    pipeline.request_commit(batch=batch, by=by)
    _start(COMMIT, batch, by, _("Writing %(file)s") % {"file": batch.original_name})


def last_error(batch: ImportBatch) -> str:
    """Why the batch's last job failed, when it did (the batch page shows it)."""
    job = batch.job
    return job.error if job is not None and job.state == Job.State.FAILED else ""

"""The jobs page: the user's background jobs with their progress (polled while any runs), how each
ended, its result to download, and running a failed or stopped one again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin import access
from fupin.lib.pagination import paginate

from . import progress, runner
from .models import Job


def _own_jobs(request):
    return access.visible_to(Job.objects.filter(owner=request.user), request.user)


@access.scoped
def job_list(request):
    page = paginate(request, _own_jobs(request), per_page=20)
    rows = [
        {
            "job": job,
            "kind": runner.KINDS[job.kind].label if job.kind in runner.KINDS else job.kind,
            "progress": progress.of(job.pk) if job.state == Job.State.RUNNING else None,
            "stalled": runner.is_stalled(job),
            "may_retry": runner.may_retry(job),
        }
        for job in page
    ]
    context = {"page": page, "rows": rows, "polling": any(not r["job"].is_finished for r in rows)}
    template = "jobs/_table.html" if request.htmx else "jobs/list.html"
    return render(request, template, context)


@access.scoped
@require_POST
def job_retry(request, pk: int):
    job = access.get_object_for_user(_own_jobs(request), request.user, pk=pk)
    try:
        runner.retry(job=job, by=request.user)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Queued to run again: %(job)s") % {"job": job.title})
    return redirect("jobs:list")


@access.scoped
def job_result(request, pk: int):
    job = access.get_object_for_user(_own_jobs(request).exclude(result=""), request.user, pk=pk)
    runner.fetch_result(job=job, by=request.user)
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result.name.rsplit("/", 1)[-1])

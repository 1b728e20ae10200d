"""The to-do items of background jobs: a failed job to look at or run again, a result to download."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.lib import inbox

from .models import Job
from .runner import KINDS

RECENT_DAYS = 7  # an older failure or result has been dealt with elsewhere, or left on purpose


def own_jobs(user, today: dt.date) -> list[inbox.Item]:
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    notifying = [name for name, kind in KINDS.items() if kind.notify]
    jobs = Job.objects.filter(owner=user, kind__in=notifying, finished_at__gte=since)
    failed = jobs.filter(state=Job.State.FAILED)
    results = jobs.filter(state=Job.State.DONE, result_fetched_at__isnull=True).exclude(result="")
    items = [
        inbox.Item(_("The job failed: see why, or run it again"), job.title, job.get_absolute_url(), _day(job))
        for job in failed.order_by("finished_at")[:50]
    ]
    items += [
        inbox.Item(_("The job is done: download its result"), job.title, job.get_absolute_url(), _day(job))
        for job in results.order_by("finished_at")[:50]
    ]
    return items


def _day(job: Job) -> dt.date:
    return timezone.localdate(job.finished_at)


def register_inbox() -> None:
    inbox.register(name="jobs", label=gettext_lazy("Background jobs"), order=500, items=own_jobs)

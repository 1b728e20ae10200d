"""Removing jobs' result files (exports, checked sheets) after the retention period."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fupin.audit.actions import record_event
from fupin.audit.models import EventType

from .models import Job


def purge(now: dt.datetime | None = None) -> int:
    """Remove the result files of jobs that ended before the retention period; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.FUPIN_UPLOAD_RETENTION_DAYS)
    removed = 0
    for job in Job.objects.filter(finished_at__lt=cutoff).exclude(result="").iterator():
        with transaction.atomic():
            name = job.result.name
            job.result.delete(save=False)
            Job.objects.filter(pk=job.pk).update(result="")
            record_event(
                actor=None,
                event_type=EventType.DELETE,
                target=job,
                region_code=job.region_code,
                changes={"files": [name], "retention_days": settings.FUPIN_UPLOAD_RETENTION_DAYS},
            )
        removed += 1
    return removed

"""Removing uploaded files after the retention period: they hold ID numbers, accounts and health data,
and once a batch is committed or abandoned its page needs only the rows it kept."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fupin.audit.actions import record_event
from fupin.audit.models import EventType

from .models import ImportBatch


def expired(now: dt.datetime | None = None):
    """Batches uploaded before the retention period whose files are still kept (never one being checked
    or written)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.FUPIN_UPLOAD_RETENTION_DAYS)
    return ImportBatch.objects.filter(created_at__lt=cutoff, files_removed_at__isnull=True).exclude(
        status__in=ImportBatch.RUNNING
    )


def purge(now: dt.datetime | None = None) -> int:
    """Remove the expired batches' files, each removal an event of the audit trail; returns how many."""
    removed = 0
    for batch in expired(now).iterator():
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().filter(pk=batch.pk, files_removed_at__isnull=True)
            if not locked.exclude(status__in=ImportBatch.RUNNING).exists():
                continue
            names = [f.name for f in (batch.file, batch.parsed) if f]
            for field in (batch.file, batch.parsed):
                if field:
                    field.delete(save=False)
            ImportBatch.objects.filter(pk=batch.pk).update(file="", parsed="", files_removed_at=timezone.now())
            record_event(
                actor=None,
                event_type=EventType.DELETE,
                target=batch,
                region_code=batch.region_id or "",
                changes={"files": names, "retention_days": settings.FUPIN_UPLOAD_RETENTION_DAYS},
            )
        removed += 1
    return removed

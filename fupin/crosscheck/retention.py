"""Keeping department lists only as long as the retention policy says: a list replaced by a newer period,
or staged and never put to use, is purged that many days after it was loaded — its table dropped, its
record kept (period, counts, who loaded it), and each purge an event of the audit trail. Findings keep
the values they read, so nothing a verifier needs goes with the rows. Run daily by `manage.py purge_files`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fupin.audit.actions import record_event
from fupin.audit.models import EventType
from fupin.policy.values import resolve

from . import loading, policy_items
from .models import DatasetLoad

PURGEABLE = (DatasetLoad.State.SUPERSEDED, DatasetLoad.State.STAGED)


def kept_days(load: DatasetLoad, day: dt.date) -> int:
    return int(resolve(policy_items.LIST_RETENTION_DAYS, day.year, load.region_id or "").value)


def purge(now: dt.datetime | None = None) -> int:
    """Drop the rows of every list past its retention; returns how many lists were purged."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    purged = 0
    for load in DatasetLoad.objects.filter(state__in=PURGEABLE).iterator():
        if timezone.localdate(load.loaded_at) + dt.timedelta(days=kept_days(load, today)) > today:
            continue
        with transaction.atomic():
            locked = DatasetLoad.objects.select_for_update().filter(pk=load.pk, state__in=PURGEABLE).first()
            if locked is None:
                continue
            loading.drop(locked)
            locked.state, locked.purged_at = DatasetLoad.State.PURGED, now
            locked.save(update_fields=["state", "purged_at"])
            record_event(
                actor=None,
                event_type=EventType.DELETE,
                target=locked,
                region_code=locked.region_id or "",
                changes={"rows": locked.row_count, "retention_days": kept_days(locked, today)},
            )
        purged += 1
    return purged

"""The to-do items of imports: the user's own files checked and waiting to be committed, and those
whose check found errors or whose job failed in the last week (to correct and upload again)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.lib import inbox

from .models import ImportBatch

RECENT_DAYS = 7  # a file refused longer ago than this has been dealt with, or forgotten on purpose


def own_imports(user, today: dt.date) -> list[inbox.Item]:
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    batches = ImportBatch.objects.filter(created_by=user).filter(
        status__in=[ImportBatch.Status.VALIDATED, ImportBatch.Status.INVALID]
    )
    items = []
    for batch in batches.order_by("created_at")[:50]:
        if batch.status == ImportBatch.Status.VALIDATED:
            title = _("Checked without errors: commit it")
        elif batch.created_at < since:
            continue
        else:
            title = _("The file has errors or its job failed: correct it and upload again")
        items.append(
            inbox.Item(
                title=title,
                subject=str(batch),
                url=reverse("transfer:detail", args=[batch.pk]),
                since=timezone.localdate(batch.created_at),
            )
        )
    return items


def register_inbox() -> None:
    inbox.register(name="imports", label=gettext_lazy("Imports"), order=400, items=own_imports)

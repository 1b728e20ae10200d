"""The import pipeline's background jobs. Each can be killed and run again: checking rewrites the
batch's rows, and committing is one transaction that claims the batch."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django_tasks import task

from . import pipeline, progress
from .models import ImportBatch

log = logging.getLogger(__name__)


@task()
def check_batch(batch_id: int) -> None:
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status != ImportBatch.Status.RECEIVED:
        return
    batch.rows.all().delete()  # a re-run starts from the file again
    try:
        with progress.job(batch_id):
            pipeline.check(batch)
    except Exception as e:
        log.exception("checking import batch %s failed", batch_id)
        ImportBatch.objects.filter(pk=batch_id).update(status=ImportBatch.Status.INVALID, job_error=str(e)[:2000])
        raise


@task()
def commit_batch(batch_id: int, user_id: int) -> None:
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportBatch.Status.COMMITTING:
        return
    by = get_user_model().objects.get(pk=user_id)
    try:
        with progress.job(batch_id):
            pipeline.commit(batch=batch, by=by)
    except ValidationError as e:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.Status.VALIDATED, job_error="；".join(e.messages)
        )
    except Exception as e:
        log.exception("committing import batch %s failed", batch_id)
        ImportBatch.objects.filter(pk=batch_id).update(status=ImportBatch.Status.VALIDATED, job_error=str(e)[:2000])
        raise

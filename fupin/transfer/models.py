from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One uploaded file, staged: every row parsed and checked before anything is written."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("waiting to be checked")
        VALIDATED = "validated", _("ready to commit")
        INVALID = "invalid", _("has errors")
        COMMITTING = "committing", _("being written")
        COMMITTED = "committed", _("committed")

    RUNNING = (Status.RECEIVED, Status.COMMITTING)

    kind = models.CharField(_("kind"), max_length=50)
    spec_version = models.PositiveSmallIntegerField(_("template version"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # The day another system's export describes, as the uploader gave it (SheetSpec.asks_data_date).
    data_date = models.DateField(_("date of the data"), null=True, blank=True)
    # The uploader's region: who else may see the batch.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The parsed rows of a checked file (see transfer.parsed), removed once it is committed.
    parsed = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    header = models.JSONField(default=list)  # the header row as uploaded: maps cells to columns
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    file_errors = models.JSONField(_("file errors"), default=list, blank=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    summary = models.JSONField(_("result"), default=dict, blank=True)
    # When the uploaded and parsed files were removed after the retention period (FUPIN_UPLOAD_RETENTION_DAYS):
    # the page keeps its rows with errors and its result, the file itself is gone.
    files_removed_at = models.DateTimeField(_("files removed at"), null=True, blank=True)
    # The job checking or writing it now, or the last one (its progress, and why it failed).
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    region_scope = "region__code"

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} #{self.pk}"


class ImportRow(models.Model):
    """A row of an uploaded file kept for the batch's page: every row with errors, and the first rows
    as a preview."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    row_no = models.PositiveIntegerField(_("row"))  # as numbered in the spreadsheet (header = 1)
    cells = models.JSONField(default=list)  # the row exactly as uploaded, for the error report
    errors = models.JSONField(default=dict, blank=True)  # {header: message}

    class Meta:
        ordering = ["batch", "row_no"]
        constraints = [models.UniqueConstraint(fields=["batch", "row_no"], name="import_row_unique")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_no}"

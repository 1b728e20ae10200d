"""A background job: long work (an import's check and commit today; screening, comparisons, rollups and
big exports tomorrow) that runs in the worker while its owner watches its progress, and that can be run
again after a failure or a killed worker without doing its work twice (each kind's work is one
transaction, or starts again from the beginning)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("waiting for a worker")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=50)  # a key of jobs.runner.KINDS
    title = models.CharField(_("job"), max_length=200)
    arguments = models.JSONField(default=dict, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region"), max_length=12, blank=True)  # the owner's: who else may see it
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)  # kept when it ends
    phase = models.CharField(_("step"), max_length=100, blank=True)  # the last step reported
    url = models.CharField(max_length=200, blank=True)  # where its outcome is seen (an import's page)
    # The address of the request that started (or last retried) it: the job's audit events carry it.
    requested_from = models.GenericIPAddressField(_("requested from"), null=True, blank=True)
    result = models.FileField(_("result"), upload_to="jobs/%Y/%m/", blank=True)
    result_fetched_at = models.DateTimeField(_("result downloaded at"), null=True, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("runs"), default=0)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    region_scope = "region_code"

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_recent")]  # the jobs page

    def __str__(self) -> str:
        return f"{self.title} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:list") + f"#job-{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

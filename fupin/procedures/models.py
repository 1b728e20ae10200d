"""The statutory procedures (design.md §3): definitions as data, and batches of cases moving through them.

A `Procedure` is a kind's steps in order ('' national, or a province's own). A `Batch` is one region's
list moving through those steps together; each `Case` in it is one subject (a household, later a
monitored household or a project) with its own outcome. Every transition appends one `Event`.
Public notices, objections and evidence belong to the step they were raised at. All writes go through
procedures.engine.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fupin.lib.ledger import AppendOnlyError
from fupin.lib.uploads import FileKind


class Procedure(models.Model):
    kind = models.CharField(_("kind"), max_length=32)  # a key of procedures.kinds.KINDS
    region_code = models.CharField(_("region"), max_length=12, blank=True)  # '' national, else a province
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["kind", "region_code"]
        constraints = [models.UniqueConstraint(fields=["kind", "region_code"], name="procedure_unique_kind_region")]

    def __str__(self) -> str:
        return self.name


class Step(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=50)
    actor_roles = models.JSONField(_("who acts"), default=list)  # role values (accounts.roles.Role)
    is_notice = models.BooleanField(_("public notice"), default=False)
    evidence_required = models.JSONField(_("evidence required"), default=list, blank=True)  # document names
    can_send_back = models.BooleanField(_("can send back"), default=False)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["procedure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="step_unique_position"),
            models.UniqueConstraint(fields=["procedure", "code"], name="step_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class AnnualAdjustment(models.Model):
    """The yearly round of dynamic adjustment (动态调整) in a county: while it is open, the batches of
    its villages for the year belong to it; closing it keeps a summary of who came in and went out."""

    region = models.ForeignKey("regions.Region", verbose_name=_("county"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.JSONField(default=dict, blank=True)

    region_scope = "region_id"

    class Meta:
        verbose_name = _("annual adjustment")
        verbose_name_plural = _("annual adjustments")
        ordering = ["-year", "region"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="adjustment_one_per_county_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.region.name}"

    def get_absolute_url(self) -> str:
        return reverse("procedures:adjustment", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class BatchState(models.TextChoices):
    OPEN = "open", _("in progress")
    CLOSED = "closed", _("closed")


class Batch(models.Model):
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    step = models.ForeignKey(
        Step, verbose_name=_("current step"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(_("state"), max_length=8, choices=BatchState.choices, default=BatchState.OPEN)
    round = models.PositiveSmallIntegerField(default=1)  # +1 each time the batch is sent back
    adjustment = models.ForeignKey(
        AnnualAdjustment,
        verbose_name=_("annual adjustment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="batches",
    )
    # Every transition is a conditional UPDATE … WHERE version = the version the actor saw.
    version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    region_scope = "region_id"

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["region", "state"], name="batch_region_state")]

    def __str__(self) -> str:
        return f"{self.year} {self.region.name} {self.procedure.name}"

    def get_absolute_url(self) -> str:
        return reverse("procedures:batch", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == BatchState.OPEN


class CaseState(models.TextChoices):
    ACTIVE = "active", _("in progress")
    DROPPED = "dropped", _("dropped")
    APPROVED = "approved", _("approved")


class CaseQuerySet(models.QuerySet):
    def of(self, subject: models.Model) -> CaseQuerySet:
        """Every case, in every procedure, of one subject (a household's identification, exit, …)."""
        return self.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)


class Case(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="cases")
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField(_("subject"), max_length=100)  # for notices and lists, without a join
    region_code = models.CharField(_("region"), max_length=12)
    state = models.CharField(_("state"), max_length=8, choices=CaseState.choices, default=CaseState.ACTIVE)
    dropped_at = models.ForeignKey(
        Step, verbose_name=_("dropped at"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)  # why it was proposed, or dropped
    # What the kind's checks found when the case was last checked (exclusion rules, exit criteria),
    # with the policy values used; each step's completion event keeps the findings of that day.
    findings = models.JSONField(_("findings"), default=dict, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()
    region_scope = "region_code"

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["batch", "id"]
        constraints = [
            # A subject is in at most one procedure at a time.
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"], condition=Q(state="active"), name="case_one_active_per_subject"
            )
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="case_subject")]

    def __str__(self) -> str:
        return self.subject_label

    def get_absolute_url(self) -> str:
        return reverse("procedures:case", args=[self.pk])

    @property
    def exclusion_hits(self) -> list[dict]:
        return [rule for rule in self.findings.get("exclusions", []) if rule["hit"]]

    @property
    def failed_checks(self) -> list[dict]:
        return [check for check in self.findings.get("checks", []) if not check["passed"]]

    @property
    def exit_passed(self) -> bool | None:
        return self.findings["exit"]["passed"] if "exit" in self.findings else None


class Action(models.TextChoices):
    STARTED = "started", _("batch started")
    ADDED = "added", _("case added")
    COMPLETED = "completed", _("step completed")
    NOTICE_POSTED = "notice_posted", _("notice posted")
    OBJECTION_RAISED = "objection_raised", _("objection recorded")
    OBJECTION_ANSWERED = "objection_answered", _("objection answered")
    EVIDENCE_ADDED = "evidence_added", _("evidence attached")
    DROPPED = "dropped", _("case dropped")
    SENT_BACK = "sent_back", _("sent back")
    CLOSED = "closed", _("batch closed")


class Event(models.Model):
    """One transition. Never changed or deleted: the procedure's record (可追溯、可还原、能追责)."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="events")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    step = models.ForeignKey(Step, verbose_name=_("step"), on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(_("by"), max_length=150)
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    done_on = models.DateField(_("date"))  # when it happened (a meeting, a visit), which may precede `at`
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)  # policy values used, findings, counts

    region_scope = "batch__region_id"

    class Meta:
        verbose_name = _("procedure event")
        verbose_name_plural = _("procedure events")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.done_on} {self.get_action_display()} {self.actor_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("procedure events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("procedure events are never deleted")


class Notice(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="notices")
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="+")
    posted_on = models.DateField(_("posted on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("where posted"), max_length=200)
    round = models.PositiveSmallIntegerField(default=1)  # the batch's round it was posted in
    days = models.PositiveSmallIntegerField(_("days"))
    counts_weekends = models.BooleanField(_("weekends count"))
    policy = models.JSONField(default=list)  # the policy values that set the period

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.posted_on}–{self.ends_on} {self.place}"


class Objection(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    case = models.ForeignKey(
        Case, verbose_name=_("about"), on_delete=models.PROTECT, null=True, blank=True, related_name="objections"
    )
    raised_on = models.DateField(_("raised on"))
    raised_by = models.CharField(_("raised by"), max_length=50, blank=True)  # may be anonymous (举报)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    content = models.TextField(_("objection"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finding = models.TextField(_("what verification found"), blank=True)
    answer = models.TextField(_("answer given"), blank=True)
    is_upheld = models.BooleanField(_("upheld"), null=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.raised_on} {self.content[:30]}"

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None


class Evidence(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="evidence")
    step = models.ForeignKey(Step, verbose_name=_("step"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence")
    document = models.CharField(_("document"), max_length=50, blank=True)  # one of the step's required ones
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    kind = models.CharField(_("kind"), max_length=8, choices=FileKind.choices)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    region_scope = "batch__region_id"

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("procedures:evidence", args=[self.pk])


class ExclusionRule(models.Model):
    """One of the 不评 situations (domain.md §5.2). A hit is a finding for the reviewers, not a refusal."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("exclusion rule")
        verbose_name_plural = _("exclusion rules")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class MemberFlag(models.Model):
    """A fact about a member that an exclusion rule looks for (a public servant, owns a car, …).

    Set by hand with a note and evidence for now; the cross-check capability will set them from
    departments' data. Flags are cleared, never deleted."""

    member = models.ForeignKey("registry.Member", on_delete=models.PROTECT, related_name="flags")
    rule = models.ForeignKey(ExclusionRule, verbose_name=_("rule"), on_delete=models.PROTECT)
    source = models.CharField(_("source"), max_length=100)  # "人工录入" or a department
    note = models.CharField(_("note"), max_length=300)
    file = models.FileField(_("evidence"), upload_to="flags/%Y/%m/", blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clear_reason = models.CharField(_("why cleared"), max_length=300, blank=True)

    region_scope = "member__household__region_id"

    class Meta:
        verbose_name = _("member flag")
        verbose_name_plural = _("member flags")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "rule"], condition=Q(cleared_at__isnull=True), name="member_flag_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.rule}"


class RegionPopulation(models.Model):
    """The rural registered population (乡村户籍人口) of a village or county for a year: the
    denominator of poverty incidence, entered or imported by the county."""

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    rural_population = models.PositiveIntegerField(_("rural registered population"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    region_scope = "region_id"

    class Meta:
        verbose_name = _("rural population")
        verbose_name_plural = _("rural population")
        ordering = ["region", "year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="region_population_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.rural_population}"


class RegionExitAssessment(models.Model):
    """One recorded assessment of a village's or county's exit (贫困村出列 / 贫困县摘帽) for a year,
    with the figures, thresholds and policy values that decided it. Never changed; assess again."""

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    poor_people = models.PositiveIntegerField(_("poor people"))
    rural_population = models.PositiveIntegerField(_("rural registered population"))
    incidence = models.DecimalField(_("poverty incidence (%)"), max_digits=7, decimal_places=3)
    # County only: the rates from the assessment sample, and the comprehensive incidence.
    wrong_exit_rate = models.DecimalField(_("wrong-exit rate (%)"), max_digits=6, decimal_places=2, null=True)
    missed_rate = models.DecimalField(_("missed rate (%)"), max_digits=6, decimal_places=2, null=True)
    recognition = models.DecimalField(_("recognition (%)"), max_digits=6, decimal_places=2, null=True)
    comprehensive_incidence = models.DecimalField(
        _("comprehensive incidence (%)"), max_digits=7, decimal_places=3, null=True
    )
    passed = models.BooleanField(_("meets the exit standard"))
    criteria = models.JSONField(default=list)
    policy = models.JSONField(default=list)
    marked_exit = models.BooleanField(_("exit recorded on the region"), default=False)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("assessed at"), auto_now_add=True)

    region_scope = "region_id"

    class Meta:
        verbose_name = _("region exit assessment")
        verbose_name_plural = _("region exit assessments")
        ordering = ["-assessed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"

"""Other departments' lists as data (数据比对): what a kind of dataset is — its department, what a row
means, its columns — and the rules that read its rows, each yielding a suspect for the exclusion rules, a
monitoring warning or a correction of the register. National defaults are installed after migrate; a
province adds its own kinds and rules (region_code) without code."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DatasetKind(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    department = models.CharField(_("department"), max_length=40)
    name = models.CharField(_("name"), max_length=80)
    row_meaning = models.CharField(_("what a row means"), max_length=200)
    # [{"key": "vehicle_type", "header": "车辆类型", "required": true}, …]; every kind has id_number and name.
    columns = models.JSONField(_("columns"), default=list)
    region_code = models.CharField(_("region"), max_length=12, blank=True)  # "" national, else the province's own
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    # Deaths and payroll are matched against members who left the register within this many days as
    # well (a death registered after the village removed the person still questions the household).
    match_left_days = models.PositiveSmallIntegerField(_("also match members who left within (days)"), default=0)

    class Meta:
        verbose_name = _("dataset kind")
        verbose_name_plural = _("dataset kinds")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.department}：{self.name}"

    @property
    def keys(self) -> list[str]:
        return [column["key"] for column in self.columns]

    @property
    def required_keys(self) -> list[str]:
        """The columns a row must have besides its ID number (which is checked on its own)."""
        return [c["key"] for c in self.columns if c.get("required") and c["key"] != "id_number"]

    @property
    def value_keys(self) -> list[str]:
        """The columns a finding keeps, in order: all but the ID number and the name."""
        return [key for key in self.keys if key not in ("id_number", "name")]


class Yield(models.TextChoices):
    """What a rule's hit becomes."""

    SUSPECT = "suspect", _("suspect (exclusion rules)")
    WARNING = "warning", _("monitoring warning")
    CORRECTION = "correction", _("correction of the register")


class Severity(models.TextChoices):
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")


class Rule(models.Model):
    """A condition on a dataset row (all of its clauses hold), what a hit yields, and the explanation a
    verifier reads, filled with the row's values ({column} placeholders)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.ForeignKey(
        DatasetKind, verbose_name=_("dataset kind"), on_delete=models.PROTECT, related_name="rules"
    )
    name = models.CharField(_("name"), max_length=100)
    # {"all": [{"column": "use", "op": "in", "value": [...]}, {"column": "area", "op": "gt", "policy": "…"}]}
    condition = models.JSONField(_("condition"))
    yields = models.CharField(_("yields"), max_length=12, choices=Yield.choices)
    # A column summed over the person's rows of the list before the condition reads it (a list of twelve
    # months' settlements: the costs "in 12 months"); blank: each row is read on its own.
    sum_column = models.CharField(_("summed over the person's rows"), max_length=40, blank=True)
    exclusion_rule = models.CharField(_("exclusion rule"), max_length=40, blank=True)  # procedures.ExclusionRule code
    risk_type = models.CharField(_("risk type"), max_length=10, blank=True)  # monitoring's risk_type code
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    explanation = models.CharField(_("explanation"), max_length=300)
    source = models.CharField(_("source"), max_length=200, blank=True)
    region_code = models.CharField(_("region"), max_length=12, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("comparison rule")
        verbose_name_plural = _("comparison rules")
        ordering = ["kind__position", "code"]

    def __str__(self) -> str:
        return self.name


class DatasetLoad(models.Model):
    """One department's list as loaded: the import batch it came through, the period it describes and the
    day it was received. The newest committed period of a kind in a region is the one matched; older
    ones are kept as long as the retention policy says, then their rows are purged.

    Its rows are a table of their own (`crosscheck.loading.table_of`), written by COPY in the file's
    own columns and dropped when purged: see that module."""

    class State(models.TextChoices):
        STAGED = "staged", _("staged, not yet in use")
        CURRENT = "current", _("in use for matching")
        SUPERSEDED = "superseded", _("replaced by a newer period")
        PURGED = "purged", _("rows purged (retention)")

    batch = models.OneToOneField("transfer.ImportBatch", on_delete=models.PROTECT, related_name="dataset_load")
    kind = models.ForeignKey(DatasetKind, verbose_name=_("dataset kind"), on_delete=models.PROTECT)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    period = models.DateField(_("period of the data"))
    received_on = models.DateField(_("received on"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.STAGED)
    # Where the kind's columns are in the file ({"id_number": 1, "vehicle_type": 3, …}) and how many it has.
    positions = models.JSONField(default=dict)
    width = models.PositiveSmallIntegerField(default=0)
    first_row = models.PositiveIntegerField(default=2)  # the spreadsheet's number of the list's row 1
    row_count = models.PositiveIntegerField(_("rows loaded"), default=0)
    set_aside_count = models.PositiveIntegerField(_("rows set aside"), default=0)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("loaded by"), on_delete=models.PROTECT, related_name="+"
    )
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    current_since = models.DateTimeField(_("in use since"), null=True, blank=True)
    purged_at = models.DateTimeField(_("purged at"), null=True, blank=True)

    region_scope = "region_id"

    class Meta:
        verbose_name = _("department list")
        verbose_name_plural = _("department lists")
        ordering = ["-period", "-id"]
        indexes = [models.Index(fields=["kind", "state"], name="dataset_load_kind_state")]

    def __str__(self) -> str:
        return f"{self.kind} {self.period:%Y-%m}"


class Result(models.TextChoices):
    CONFIRMED = "confirmed", _("true (属实)")
    REFUTED = "refuted", _("not true (不属实)")
    CORRECTED = "corrected", _("corrected (已纠正)")


class Finding(models.Model):
    """A rule that fired for a registered person on a row of a department's list, and its verification:
    assigned to the township of the household, passed to the village, verified with a result and
    evidence by a deadline. One per rule and person; a later comparison updates its values, and
    reopens it when it was verified and the values changed."""

    class State(models.TextChoices):
        TOWNSHIP = "township", _("with the township")
        VILLAGE = "village", _("with the village")
        VERIFIED = "verified", _("verified")

    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="findings")
    member = models.ForeignKey("registry.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    load = models.ForeignKey(DatasetLoad, verbose_name=_("department list"), on_delete=models.PROTECT, related_name="+")
    row_no = models.PositiveIntegerField(_("row"))
    name_in_list = models.CharField(_("name in the list"), max_length=50)
    # The row's values in the order of the kind's `value_keys`, joined by U+001F: what the rule read,
    # kept after the list itself is purged, and compared as one text by the next comparison.
    row_values = models.TextField(_("values"))
    yields = models.CharField(_("yields"), max_length=12, choices=Yield.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.TOWNSHIP)
    found_at = models.DateTimeField(_("found at"))
    changed_at = models.DateTimeField(_("values changed at"))
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    due_on = models.DateField(_("verify by"))
    passed_at = models.DateTimeField(_("passed to the village at"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    note = models.CharField(_("what was found"), max_length=500, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="findings/%Y/%m/", blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # What a confirmed finding did: {"flag": id, "clue": id, "case": id, "left": member id}
    actions = models.JSONField(_("actions taken"), default=dict, blank=True)

    history = HistoricalRecords(user_model=settings.AUTH_USER_MODEL, excluded_fields=["changed_at"])
    region_scope = "region_id"

    class Meta:
        verbose_name = _("comparison finding")
        verbose_name_plural = _("comparison findings")
        ordering = ["state", "due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["rule", "member"], name="finding_one_per_rule_member")]
        indexes = [
            models.Index(fields=["region", "state", "due_on"], name="finding_region_state_due"),
            models.Index(fields=["household"], name="finding_household"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} · {self.name_in_list}"

    def get_absolute_url(self) -> str:
        return reverse("crosscheck:finding", args=[self.pk])

    @property
    def name_differs(self) -> bool:
        return self.name_in_list != self.member.name

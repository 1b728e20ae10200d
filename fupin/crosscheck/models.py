"""Other departments' lists as data (数据比对): what a kind of dataset is — its department, what a row
means, its columns — and the rules that read its rows, each yielding a suspect for the exclusion rules, a
monitoring warning or a correction of the register. National defaults are installed after migrate; a
province adds its own kinds and rules (region_code) without code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        verbose_name = _("dataset kind")
        verbose_name_plural = _("dataset kinds")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.department}：{self.name}"

    @property
    def keys(self) -> list[str]:
        return [column["key"] for column in self.columns]


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

"""How they are helped (怎么扶, domain.md §2.6–2.7): the measure catalogue, one plan per household
and year with its measures, and the coverage rules that say whether the measures fit the household."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class MeasureCategory(models.TextChoices):
    INDUSTRY = "industry", _("industry")
    EMPLOYMENT = "employment", _("employment")
    PUBLIC_WELFARE_POST = "welfare_post", _("public-welfare post")
    EDUCATION = "education", _("education")
    HEALTH = "health", _("health")
    HOUSING = "housing", _("housing")
    RELOCATION = "relocation", _("relocation")
    SOCIAL_SECURITY = "social_security", _("social security (dibao, tekun)")
    FINANCE = "finance", _("finance and microcredit")
    ASSET_INCOME = "asset_income", _("asset income and dividends")
    TRAINING = "training", _("training")
    ECOLOGY = "ecology", _("ecology")
    INFRASTRUCTURE = "infrastructure", _("infrastructure")
    OTHER = "other", _("other")


class MeasureType(models.Model):
    """The measure catalogue (帮扶措施), national defaults added after every migrate. A type whose money
    is income names the income item it adds to (dividends → property income, a post's wages → wages)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    category = models.CharField(_("category"), max_length=20, choices=MeasureCategory.choices)
    income_item = models.CharField(_("adds to income item"), max_length=32, blank=True)  # registry.income.ITEMS
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("measure type")
        verbose_name_plural = _("measure types")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class AssistancePlan(models.Model):
    """一户一策: one plan per household per year."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"))
    goal = models.TextField(_("goal"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    region_scope = "household__region_id"

    class Meta:
        verbose_name = _("assistance plan")
        verbose_name_plural = _("assistance plans")
        ordering = ["household", "-year"]
        constraints = [models.UniqueConstraint(fields=["household", "year"], name="plan_one_per_household_year")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("assistance:plan", args=[self.household_id, self.year])


class Measure(models.Model):
    plan = models.ForeignKey(AssistancePlan, on_delete=models.PROTECT, related_name="measures")
    measure_type = models.ForeignKey(MeasureType, verbose_name=_("measure"), on_delete=models.PROTECT)
    description = models.CharField(_("what"), max_length=200, blank=True)
    planned_amount = models.DecimalField(
        _("planned amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    delivered_amount = models.DecimalField(
        _("delivered amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=100, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    region_scope = "plan__household__region_id"

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["plan", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(planned_amount__isnull=True) | Q(planned_amount__gte=0))
                & (Q(delivered_amount__isnull=True) | Q(delivered_amount__gte=0)),
                name="measure_amounts_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure_type} {self.description}"

    @property
    def is_delivered(self) -> bool:
        return self.delivered_on is not None


class CoverageKind(models.TextChoices):
    LABOUR_INCOME = "labour_income", _("households with labour have enough income-generating measures")
    CAUSE = "cause", _("the main cause is addressed")
    UNSAFE_HOUSING = "unsafe_housing", _("unsafe housing is addressed")
    EXITED_ACTIVE = "exited_active", _("exited households keep a measure")


class CoverageRule(models.Model):
    """Whether the measures fit why a household is poor (domain.md §2.6; the seed reports' standards),
    as data: the kind of check and its parameters (counts, causes, categories), with an explanation."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    explanation = models.TextField(_("explanation"))
    kind = models.CharField(_("kind"), max_length=20, choices=CoverageKind.choices)
    parameters = models.JSONField(_("parameters"), default=dict)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("coverage rule")
        verbose_name_plural = _("coverage rules")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

"""A monitored household (防止返贫致贫对象): one case from its identification to the elimination of its
risk; a household may be monitored again later (a new case), never twice at once. The base record is
never deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Channel(models.TextChoices):
    """How the risk was found (domain.md §4.2–4.3)."""

    SELF_REPORT = "self_report", _("self-report by the household")
    CADRE = "cadre", _("cadres' screening")
    DEPARTMENT = "department", _("department data warning")
    SYSTEM = "system", _("system screening")
    NATIONAL_LIST = "national_list", _("national system's list")


class CaseStatus(models.TextChoices):
    MONITORING = "monitoring", _("being monitored")
    ELIMINATED = "eliminated", _("risk has been eliminated")


class EliminationRoute(models.TextChoices):
    ASSISTED = "assisted", _("eliminated by assistance (帮扶消除)")
    NATURAL = "natural", _("went away by itself (自然消除)")


class MonitoringCase(models.Model):
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="monitoring_cases"
    )
    region_id = models.CharField(_("region"), max_length=12, db_index=True)  # the household's village, for scope
    category = models.CharField(_("category"), max_length=10)  # code list monitoring_category
    risks = models.JSONField(_("risk types"), default=list)  # up to five codes of the list risk_type
    identified_on = models.DateField(_("identified on"))
    channel = models.CharField(_("found through"), max_length=20, choices=Channel.choices)
    contact = models.ForeignKey(
        "assistance.Cadre",
        verbose_name=_("monitoring contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monitored_cases",
    )
    # 整户无劳动能力兜底保障: its risk is not marked eliminated while it lives on guaranteed support
    no_labour_support = models.BooleanField(_("whole household without labour, on guaranteed support"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.MONITORING)
    eliminated_on = models.DateField(_("risk eliminated on"), null=True, blank=True)
    elimination_route = models.CharField(
        _("how the risk went"), max_length=10, choices=EliminationRoute.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    region_scope = "region_id"

    class Meta:
        verbose_name = _("monitored household")
        verbose_name_plural = _("monitored households")
        ordering = ["region_id", "-identified_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(status="monitoring"),
                name="monitoring_one_open_case_per_household",
            ),
            models.CheckConstraint(
                condition=models.Q(status="monitoring", eliminated_on__isnull=True, elimination_route="")
                | models.Q(status="eliminated", eliminated_on__isnull=False),
                name="monitoring_elimination_dated",
            ),
        ]
        indexes = [models.Index(fields=["region_id", "status"], name="monitoring_region_status")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.category} {self.status}"


class RigidExpenditure(models.Model):
    """A year's compliant out-of-pocket spending (合规自付支出) of a household: what it actually paid for
    medical care and schooling after reimbursement, and other rigid costs, for the income-and-expenditure
    account (收支核算) that judges 突发严重困难户 on income minus rigid spending."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="expenditures"
    )
    region_id = models.CharField(_("region"), max_length=12, db_index=True)
    year = models.PositiveSmallIntegerField(_("year"))
    medical = models.DecimalField(_("medical costs paid after reimbursement"), max_digits=12, decimal_places=2)
    schooling = models.DecimalField(_("schooling costs paid"), max_digits=12, decimal_places=2)
    other = models.DecimalField(_("other rigid costs"), max_digits=12, decimal_places=2, default=0)
    note = models.CharField(_("what they were"), max_length=200, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    region_scope = "region_id"

    class Meta:
        verbose_name = _("compliant out-of-pocket spending")
        verbose_name_plural = _("compliant out-of-pocket spending")
        ordering = ["household", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="expenditure_one_per_year"),
            models.CheckConstraint(
                condition=models.Q(medical__gte=0, schooling__gte=0, other__gte=0), name="expenditure_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}"

    @property
    def total(self):
        return self.medical + self.schooling + self.other

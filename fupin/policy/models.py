"""Policy parameters by year and place (design.md §2): one row per parameter, region and year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .items import ITEMS


class PolicyValue(models.Model):
    name = models.CharField(_("parameter"), max_length=40)  # a key of policy.items.ITEMS
    # '' is the national value; otherwise the code of the province (or city, county) that sets its own.
    region_code = models.CharField(_("region"), max_length=12, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    is_verified = models.BooleanField(_("verified against its source"), default=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    document = models.CharField(_("document number"), max_length=100, blank=True)  # 文号, e.g. 甘农领办发〔2025〕4号
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, null=True, blank=True
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("policy value")
        verbose_name_plural = _("policy values")
        ordering = ["name", "region_code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["name", "region_code", "year"], name="policy_value_unique"),
            models.CheckConstraint(condition=models.Q(year__gte=2000, year__lte=2100), name="policy_value_year"),
        ]

    def __str__(self) -> str:
        where = self.region_code or _("national")
        return f"{ITEMS[self.name].label} {self.year} {where}: {self.value}"


class CalendarDay(models.Model):
    """A day that breaks the week's rule for deadlines counted in working days: a public holiday on a
    weekday, or a weekend day worked in exchange (调休上班). Kept by the national administrator from the
    State Council's yearly notice."""

    day = models.DateField(_("day"), unique=True)
    is_working_day = models.BooleanField(_("a working day"), default=False)
    name = models.CharField(_("what it is"), max_length=50)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("public-holiday calendar")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"

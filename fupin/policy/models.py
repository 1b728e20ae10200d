"""Standards that change by year and place (design.md §2). National rows have province ""."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PovertyLine(models.Model):
    """扶贫标准: per-capita net income per year below which a household is poor, by standard."""

    year = models.PositiveSmallIntegerField(_("year"))
    standard = models.CharField(_("identification standard"), max_length=10)  # code list identification_standard
    province_code = models.CharField(_("province"), max_length=2, blank=True)  # "" = national
    amount = models.DecimalField(_("yuan per person per year"), max_digits=10, decimal_places=2)
    verified = models.BooleanField(_("verified against a source"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("poverty line")
        verbose_name_plural = _("poverty lines")
        ordering = ["-year", "standard", "province_code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "standard", "province_code"], name="poverty_line_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="poverty_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.amount}"

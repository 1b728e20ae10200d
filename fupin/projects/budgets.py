"""What each fund source makes available to a region in a year (资金下达), and the fund-source view:
per source, for a year and a region's subtree, what is available, what is allocated to that year's
projects, and what has been paid to them.

A budget is entered once, at the region that receives it to allocate (a county's, usually), so that
a subtree's sum counts each yuan once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import save_changes, snapshot
from fupin.lib.figures import percent
from fupin.permissions import Perm
from fupin.regions.models import Level, Region

from .library import amount_error
from .models import Allocation, Disbursement, FundBudget, FundSource

ZERO = Decimal(0)
BUDGET_FIELDS = ("source_id", "region_id", "year", "amount", "document")


@transaction.atomic
def save_budget(*, by, budget: FundBudget | None, values: Mapping[str, Any]) -> FundBudget:
    if budget is not None:
        budget = FundBudget.objects.select_for_update().get(pk=budget.pk)
        access.require(by, Perm.MANAGE_PROJECTS, budget.region_id)
    merged = {**(snapshot(budget, BUDGET_FIELDS) if budget else {"document": ""}), **values}
    code = merged.get("region_id") or ""
    access.require(by, Perm.MANAGE_PROJECTS, code)
    errors = {}
    if not FundSource.objects.filter(pk=merged.get("source_id"), is_active=True).exists():
        errors["source_id"] = _("Choose a fund source from the list.")
    region = Region.objects.filter(code=code).first()
    if region is None or region.level == Level.VILLAGE:
        errors["region_id"] = _("Choose the province, city, county or township that receives the funds.")
    year = merged.get("year")
    if year is None or not 2014 <= year <= timezone.localdate().year + 1:
        errors["year"] = _("Enter a year from 2014 to next year.")
    if message := amount_error(merged.get("amount")):
        errors["amount"] = message
    if not errors:
        taken = FundBudget.objects.filter(source_id=merged["source_id"], region_id=code, year=year)
        if budget is not None:
            taken = taken.exclude(pk=budget.pk)
        if taken.exists():
            errors["source_id"] = _("This source's budget for the region and year is already entered; change it.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(budget, BUDGET_FIELDS) if budget else {}
    budget = budget or FundBudget()
    for name in BUDGET_FIELDS:
        value = merged[name]
        setattr(budget, name, value.strip() if isinstance(value, str) else value)
    save_changes(by=by, instance=budget, before=before, fields=BUDGET_FIELDS, region_code=code)
    return budget


@dataclass(frozen=True)
class SourceLine:
    source: FundSource | None  # None for the total
    available: Decimal
    allocated: Decimal
    disbursed: Decimal

    @property
    def unallocated(self) -> Decimal:
        return self.available - self.allocated

    @property
    def progress(self) -> Decimal | None:
        """Paid ÷ available, in percent."""
        return percent(self.disbursed, self.available)


def by_source(user, code: str, year: int) -> list[SourceLine]:
    """A line per source with anything available, allocated or paid, and the total line last."""

    def sums(queryset, region_field: str) -> dict[int, Decimal]:
        queryset = access.visible_to(queryset, user)
        if code:
            queryset = queryset.filter(access.under(region_field, code))
        return dict(queryset.order_by().values("source").annotate(s=Sum("amount")).values_list("source", "s"))

    available = sums(FundBudget.objects.filter(year=year), "region_id")
    allocated = sums(Allocation.objects.filter(project__year=year), "project__region_id")
    disbursed = sums(Disbursement.objects.filter(project__year=year), "project__region_id")
    used = available.keys() | allocated.keys() | disbursed.keys()
    lines = [
        SourceLine(
            source,
            available.get(source.pk, ZERO),
            allocated.get(source.pk, ZERO),
            disbursed.get(source.pk, ZERO),
        )
        for source in FundSource.objects.filter(pk__in=used)
    ]
    total = SourceLine(
        None,
        sum((line.available for line in lines), ZERO),
        sum((line.allocated for line in lines), ZERO),
        sum((line.disbursed for line in lines), ZERO),
    )
    return [*lines, total]

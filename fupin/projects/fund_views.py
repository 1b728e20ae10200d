"""Fund pages: the fund-source view and the budgets it counts."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.lib.forms import int_param, saved
from fupin.permissions import Perm
from fupin.regions import tables

from . import budgets
from .forms import BudgetForm
from .models import FundBudget


@access.scoped
def fund_sources(request):
    """Per fund source, for a year and a region's subtree: available, allocated to that year's
    projects, paid to them; with the budgets entered."""
    region = tables.chosen_region(request)
    code = region.code if region else ""
    year = int_param(request.GET.get("year")) or timezone.localdate().year
    found = access.visible_to(FundBudget.objects.select_related("source", "region"), request.user).filter(year=year)
    if code:
        found = found.filter(access.under("region_id", code))
    context = {
        "region": region,
        "year": year,
        "lines": budgets.by_source(request.user, code, year),
        "budgets": found.order_by("region_id", "source__position"),
        "can_change": request.user.has_perm(Perm.MANAGE_PROJECTS),
        "up": tables.up(request.user, code),
    }
    return render(request, "projects/fund_sources.html", context)


def _budget_page(request, budget: FundBudget | None):
    initial = {"region_id": access.region_prefix(request.user) or ""}
    if budget:
        initial = {name: getattr(budget, name) for name in budgets.BUDGET_FIELDS}
    form = BudgetForm(request.POST or None, initial=initial)
    save = lambda: budgets.save_budget(by=request.user, budget=budget, values=form.cleaned_data)  # noqa: E731
    if saved_budget := saved(request, form, save, _("Budget saved.")):
        return redirect(f"{reverse('projects:fund_sources')}?{urlencode({'year': saved_budget.year})}")
    return render(request, "projects/budget_form.html", {"form": form, "budget": budget})


@access.requires(Perm.MANAGE_PROJECTS)
def budget_create(request):
    return _budget_page(request, None)


@access.requires(Perm.MANAGE_PROJECTS)
def budget_edit(request, pk: int):
    return _budget_page(request, access.get_object_for_user(FundBudget.objects.all(), request.user, pk=pk))

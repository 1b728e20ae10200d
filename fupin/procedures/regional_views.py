"""Exit assessments of villages and counties, and the rural population they are measured against."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.lib.forms import add_errors, int_param
from fupin.lib.pagination import paginate
from fupin.permissions import Perm
from fupin.regions.models import Level, Region

from . import regional
from .forms import RegionExitForm
from .models import RegionExitAssessment, RegionPopulation


@access.scoped
def region_exit(request):
    """Assess a village's or county's exit for a year; those who may, record it (and the exit)."""
    data = request.POST if request.method == "POST" else (request.GET if "region" in request.GET else None)
    form = RegionExitForm(data, user=request.user)
    result = None
    can_record = request.user.has_perm(Perm.CHANGE_DESIGNATION)
    if data is not None and form.is_valid():
        region, year, rates = form.cleaned_data["region"], form.cleaned_data["year"], form.cleaned_data["rates"]
        try:
            if request.method == "POST":
                if not can_record:
                    raise PermissionDenied
                mark = request.POST.get("mark_exit") == "1"
                _row, result = regional.record(by=request.user, region=region, year=year, rates=rates, mark_exit=mark)
                messages.success(request, _("Assessment recorded.") + (" " + _("Exit year set.") if mark else ""))
            else:
                result = regional.assess(region, year, rates)
        except ValidationError as e:
            add_errors(form, e)
    recorded = access.visible_to(RegionExitAssessment.objects.select_related("region", "assessed_by"), request.user)
    context = {"form": form, "result": result, "can_record": can_record, "page": paginate(request, recorded)}
    return render(request, "procedures/region_exit.html", context)


@access.scoped
def population(request):
    """The rural population of a county and its villages for a year, entered in one table."""
    year = int_param(request.GET.get("year") or request.POST.get("year")) or timezone.localdate().year
    code = access.requested_region(request)
    code = code or request.user.region_code
    counties = access.visible_to(Region.objects.filter(level=Level.COUNTY), request.user)
    county = counties.filter(code=code[:6]).first() if len(code) >= 6 else None
    rows = []
    if county:
        villages = Region.objects.filter(level=Level.VILLAGE).filter(access.under("code", county.code))
        regions = [county, *access.visible_to(villages.order_by("code"), request.user)]
        figures = dict(
            RegionPopulation.objects.filter(region__in=regions, year=year).values_list("region_id", "rural_population")
        )
        rows = [{"region": r, "value": figures.get(r.code)} for r in regions]
    if request.method == "POST" and county:
        if not request.user.has_perm(Perm.CHANGE_DESIGNATION):
            raise PermissionDenied
        typed = {row["region"]: request.POST.get(f"p-{row['region'].code}", "") for row in rows}
        try:
            changed = regional.set_populations(
                by=request.user, year=year, typed=typed, source=request.POST.get("source", "")
            )
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(n)s figure(s) saved.") % {"n": changed})
            return redirect(f"{request.path}?region={county.code}&year={year}")
    context = {"county": county, "counties": counties.order_by("code")[:200], "year": year, "rows": rows}
    return render(request, "procedures/population.html", context)

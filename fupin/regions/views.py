from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin import access
from fupin.lib.forms import add_errors
from fupin.lib.pagination import paginate
from fupin.permissions import Perm

from .designation import set_designation
from .forms import DesignationForm
from .models import Level, Region, ancestor_codes

OPTIONS_LIMIT = 20
POOR_LABELS = {Level.COUNTY: gettext_lazy("poor county"), Level.VILLAGE: gettext_lazy("poor village")}


@access.scoped
def region_index(request):
    """The user's own region; for national users, the list of provinces."""
    if request.user.region_id:
        return redirect("regions:detail", request.user.region_id)
    return render(request, "regions/national.html", {"provinces": Region.objects.filter(level=Level.PROVINCE)})


def _breadcrumb(user, region: Region) -> list[tuple[Region, bool]]:
    """Ancestors and the region, each with whether the user may open it."""
    chain = [*Region.objects.filter(code__in=ancestor_codes(region.code)).order_by("code"), region]
    return [(r, access.covers(user, r.code)) for r in chain]


@access.scoped
def region_detail(request, code: str):
    region = access.get_object_for_user(Region.objects.all(), request.user, code=code)
    children = region.children.order_by("code")
    if q := request.GET.get("q", "").strip():
        children = children.filter(Q(name__contains=q) | Q(code__startswith=q))
    summary = sorted(Region.objects.under(region.code).exclude(code=region.code).level_summary().items())
    context = {
        "region": region,
        "breadcrumb": _breadcrumb(request.user, region),
        "page": paginate(request, children),
        "q": q,
        "level_counts": [(Level(level).label, n) for level, (n, _poor) in summary],
        "poor_counts": [(POOR_LABELS[level], poor) for level, (_n, poor) in summary if poor],
    }
    template = "regions/_children.html" if request.htmx and request.htmx.target == "children" else "regions/detail.html"
    return render(request, template, context)


@access.requires(Perm.CHANGE_DESIGNATION)
def designation_edit(request, code: str):
    region = access.get_object_for_user(Region.objects.all(), request.user, code=code)
    if not region.can_be_designated_poor:
        raise Http404
    initial = {"designated": region.is_poor, "designated_year": region.designated_year, "exit_year": region.exit_year}
    form = DesignationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changes = set_designation(by=request.user, region=region, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Designation saved.") if changes else _("Nothing changed."))
            return redirect("regions:detail", region.code)
    return render(
        request,
        "regions/designation_form.html",
        {"region": region, "form": form, "breadcrumb": _breadcrumb(request.user, region)},
    )


@access.scoped
def region_options(request):
    """<option>s for the region pickers: regions in the user's subtree matching a name or code."""
    q = request.GET.get("q", "").strip()
    regions = Region.objects.none()
    if q:
        regions = (
            access.visible_to(Region.objects.all(), request.user)
            .filter(Q(code__startswith=q) | Q(name__contains=q))
            .order_by("level", "code")[:OPTIONS_LIMIT]
        )
    return render(request, "regions/_options.html", {"regions": regions})

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.lib.pagination import paginate
from fupin.permissions import Perm

from . import actions
from .forms import CalendarDayForm, PolicyValueForm
from .items import ITEMS, UNIT_LABELS, Item
from .models import CalendarDay, PolicyValue
from .values import visible_rows


def _item(name: str) -> Item:
    if name not in ITEMS:
        raise Http404
    return ITEMS[name]


@access.scoped
def item_list(request):
    counts = dict(visible_rows(request.user).order_by().values("name").annotate(n=Count("id")).values_list("name", "n"))
    items = [(item, UNIT_LABELS[item.unit], counts.get(item.name, 0)) for item in ITEMS.values()]
    return render(request, "policy/item_list.html", {"items": items})


@access.scoped
def value_list(request, name: str):
    item = _item(name)
    rows = visible_rows(request.user).filter(name=name).select_related("changed_by").order_by("region_code", "-year")
    context = {
        "item": item,
        "unit": UNIT_LABELS[item.unit],
        "page": paginate(request, rows),
        "can_set": actions.can_set(request.user),
    }
    return render(request, "policy/value_list.html", context)


@access.requires(Perm.MANAGE_POLICY)
def value_edit(request, name: str, pk: int | None = None):
    item = _item(name)
    if not actions.can_set(request.user):
        raise PermissionDenied
    row = get_object_or_404(visible_rows(request.user), name=name, pk=pk) if pk else PolicyValue()
    if row.pk and not actions.can_set(request.user, row.region_code):
        raise PermissionDenied  # a national or a parent region's value: readable, not changeable here
    form = PolicyValueForm(request.POST or None, instance=row, item=item, user=request.user)
    if request.method == "POST" and form.is_valid():
        actions.save_value(by=request.user, row=form.instance)
        messages.success(request, _("Saved: %(value)s.") % {"value": form.instance})
        return redirect("policy:values", name)
    return render(request, "policy/value_form.html", {"item": item, "form": form, "row": row})


@access.scoped
def calendar(request):
    """The public-holiday calendar that working-day deadlines count with, a year at a time."""
    today = timezone.localdate()
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2014 <= int(year) <= today.year + 2 else today.year
    can_edit = actions.can_set(request.user, "")
    form = CalendarDayForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if "delete" in request.POST:
            day = get_object_or_404(CalendarDay, pk=request.POST["delete"])
            actions.delete_calendar_day(by=request.user, day=day)
            messages.success(request, _("Removed: %(day)s.") % {"day": day})
            return redirect(f"{reverse('policy:calendar')}?year={day.day.year}")
        if form.is_valid():
            day = actions.save_calendar_day(by=request.user, day=form.instance)
            messages.success(request, _("Saved: %(day)s.") % {"day": day})
            return redirect(f"{reverse('policy:calendar')}?year={day.day.year}")
    days = CalendarDay.objects.filter(day__year=year).select_related("changed_by")
    context = {"days": days, "year": year, "years": range(today.year - 2, today.year + 3), "form": form}
    return render(request, "policy/calendar.html", context)

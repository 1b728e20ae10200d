"""A county's annual adjustment (动态调整): its rounds and their summaries."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.lib.forms import int_param
from fupin.lib.pagination import paginate
from fupin.permissions import Perm
from fupin.regions.models import Level, Region

from . import adjustment as adjustment_actions
from .kinds import adjusting_kinds
from .models import AnnualAdjustment


@access.scoped
def adjustment_list(request):
    rounds = access.visible_to(AnnualAdjustment.objects.select_related("region", "opened_by"), request.user)
    can_open = request.user.has_perm(Perm.MANAGE_ADJUSTMENT)
    counties = access.visible_to(Region.objects.filter(level=Level.COUNTY), request.user).order_by("code")
    if request.method == "POST":
        if not can_open:
            raise PermissionDenied
        region = counties.filter(code=access.requested_region(request) or "-").first()
        try:
            if region is None:
                raise ValidationError(_("Choose a county inside your jurisdiction."))
            adjustment = adjustment_actions.open_round(
                by=request.user, region=region, year=int_param(request.POST.get("year")) or 0
            )
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Round opened. The villages' batches of the year now belong to it."))
            return redirect(adjustment)
    context = {
        "page": paginate(request, rounds),
        "can_open": can_open,
        "counties": counties[:200],
        "year": timezone.localdate().year,
    }
    return render(request, "procedures/adjustment_list.html", context)


@access.scoped
def adjustment_detail(request, pk: int):
    adjustment = access.get_object_for_user(AnnualAdjustment.objects.select_related("region"), request.user, pk=pk)
    if request.method == "POST":
        try:
            adjustment = adjustment_actions.close_round(by=request.user, adjustment=adjustment)
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Round closed; its summary is kept."))
        return redirect(adjustment)
    result = adjustment.summary if not adjustment.is_open else adjustment_actions.summary(adjustment)
    names = dict(Region.objects.filter(code__in=result["villages"]).values_list("code", "name"))
    kinds = [(k.name, k.label) for k in adjusting_kinds()]
    rows = [
        {"code": code, "name": names.get(code, code), "cells": [counts.get(k, [0, 0]) for k, _label in kinds]}
        for code, counts in result["villages"].items()
    ]
    context = {
        "adjustment": adjustment,
        "kinds": kinds,
        "rows": rows,
        "totals": [result["totals"].get(k, [0, 0]) for k, _label in kinds],
        "batches": adjustment.batches.select_related("procedure", "region", "step").order_by("region", "id"),
        "can_close": adjustment.is_open and request.user.has_perm(Perm.MANAGE_ADJUSTMENT),
    }
    return render(request, "procedures/adjustment_detail.html", context)

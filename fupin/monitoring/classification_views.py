"""The yearly classification's pages: the rounds (a county opens one), a round's summary by region with
its households, each decided with a reason, and closing it."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin import access
from fupin.lib.forms import add_errors, errors_to_messages
from fupin.lib.pagination import paginate
from fupin.permissions import Perm
from fupin.regions import tables
from fupin.regions.models import Level

from . import classification
from .models import Classification, ClassificationRound, Outcome

SHOWS = (
    ("undecided", gettext_lazy("not decided")),
    ("suggested_exit", gettext_lazy("suggested: orderly exit")),
    ("exit", gettext_lazy("orderly exit (有序退出)")),
    ("keep_helping", gettext_lazy("continued help")),
    ("all", gettext_lazy("all")),
)
STATES = {
    "undecided": {"outcome": ""},
    "exit": {"outcome": Outcome.EXIT},
    "keep_helping": {"outcome": Outcome.KEEP_HELPING},
    "suggested_exit": {"suggested": Outcome.EXIT},
    "all": {},
}


class OpenForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("year"), initial=lambda: timezone.localdate().year)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("outcome"), choices=Outcome.choices)
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=300)


def _may_open(user) -> bool:
    return user.has_perm(Perm.MANAGE_ADJUSTMENT) and user.region is not None and user.region.level == Level.COUNTY


@access.scoped
def round_list(request):
    form = OpenForm(request.POST or None) if _may_open(request.user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                opened = classification.open_round(
                    by=request.user, region=request.user.region, year=form.cleaned_data["year"]
                )
            except ValidationError as e:
                add_errors(form, e)
            else:
                messages.success(request, _("The classification is open; the households are being assessed."))
                return redirect(opened)
    rounds = rounds_for(request.user)
    return render(request, "monitoring/round_list.html", {"page": paginate(request, rounds), "form": form})


def rounds_for(user):
    """The rounds of the user's county or below it: a round is a county's, and a township or village sees
    its county's round through its own households."""
    prefix = access.region_prefix(user)
    if prefix is None:
        return ClassificationRound.objects.none()
    return ClassificationRound.objects.filter(access.under("region_id", prefix) | Q(region_id=prefix[:6]))


def _round(request, pk: int) -> ClassificationRound:
    return get_object_or_404(rounds_for(request.user), pk=pk)


@access.scoped
def round_detail(request, pk: int):
    assessment = _round(request, pk)
    mine = access.visible_to(Classification.objects.filter(round=assessment), request.user)
    table = tables.table(
        request, [tables.Figures(mine, classification.figures())], dict.fromkeys(classification.figures(), 0)
    )
    show = request.GET.get("show") if request.GET.get("show") in STATES else "undecided"
    chosen = access.narrow(mine, "region_id", table.code).filter(**STATES[show]).select_related("household")
    context = {
        "round": assessment,
        "table": table,
        "up_query": urlencode({"region": table.up or ""}),
        "show": show,
        "shows": SHOWS,
        "page": paginate(request, chosen.order_by("region_id", "household_id")),
        "decide": DecideForm() if request.user.has_perm(Perm.CHANGE_HOUSEHOLD) and assessment.is_open else None,
        "may_close": _may_open(request.user) and assessment.is_open,
    }
    return render(request, "monitoring/round_detail.html", context)


@access.requires(Perm.CHANGE_HOUSEHOLD)
def classification_decide(request, pk: int):
    item = access.get_object_for_user(Classification.objects.select_related("round"), request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = DecideForm(request.POST)
    if not form.is_valid():
        errors_to_messages(request, form)
    else:
        try:
            classification.decide(by=request.user, classification=item, **form.cleaned_data)
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Decided."))
    return redirect(request.POST.get("next") or item.round.get_absolute_url())


@access.requires(Perm.MANAGE_ADJUSTMENT)
def round_close(request, pk: int):
    assessment = _round(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        classification.close_round(by=request.user, assessment=assessment)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The classification of %(year)s is closed.") % {"year": assessment.year})
    return redirect(assessment)

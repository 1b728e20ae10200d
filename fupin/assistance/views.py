"""Assistance pages: units, cadres with their load, each household's pairing, unpaired households."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_export
from fupin.audit.files import serve_audited
from fupin.lib.forms import add_errors, errors_to_messages, int_param, saved
from fupin.lib.pagination import paginate
from fupin.lib.xlsx import xlsx_response
from fupin.permissions import Perm
from fupin.regions.models import Level, Region
from fupin.registry.models import HELPED, Household

from . import actions, cadre_actions, coverage, plans, printing, visits
from .forms import CadreForm, EndPairingForm, MeasureForm, PairForm, PairManyForm, PlanForm, UnitForm, VisitForm
from .models import AssistingUnit, Cadre, CoverageRule, Measure, Pairing, VisitPhoto


@access.scoped
def unit_list(request):
    units = access.visible_to(AssistingUnit.objects.select_related("region"), request.user)
    if q := request.GET.get("q", "").strip():
        units = units.filter(name__contains=q)
    units = units.annotate(cadre_count=Count("cadres")).order_by("region_id", "name")
    return render(request, "assistance/unit_list.html", {"page": paginate(request, units), "q": q})


def _unit_page(request, unit: AssistingUnit | None):
    initial = {f: getattr(unit, f) for f in actions.UNIT_FIELDS} if unit else None
    form = UnitForm(request.POST or None, initial=initial)
    save = lambda: actions.save_unit(by=request.user, unit=unit, values=form.cleaned_data)  # noqa: E731
    if result := saved(request, form, save, _("Unit saved.")):
        return redirect(result)
    return render(request, "assistance/unit_form.html", {"form": form, "unit": unit})


@access.requires(Perm.MANAGE_ASSISTANCE)
def unit_create(request):
    return _unit_page(request, None)


@access.requires(Perm.MANAGE_ASSISTANCE)
def unit_edit(request, pk: int):
    return _unit_page(request, access.get_object_for_user(AssistingUnit.objects.all(), request.user, pk=pk))


def _with_load(cadres):
    return cadres.annotate(load=Count("pairings", filter=Q(pairings__end_on__isnull=True)))


@access.scoped
def unit_detail(request, pk: int):
    unit = access.get_object_for_user(AssistingUnit.objects.select_related("region"), request.user, pk=pk)
    cadres = _with_load(unit.cadres.all()).order_by("name")
    return render(request, "assistance/unit_detail.html", {"unit": unit, "cadres": cadres})


@access.scoped
def cadre_list(request):
    cadres = access.visible_to(Cadre.objects.select_related("unit"), request.user)
    if q := request.GET.get("q", "").strip():
        cadres = cadres.filter(Q(name__startswith=q) | Q(unit__name__contains=q))
    cadres = _with_load(cadres).order_by("unit__name", "name")
    return render(request, "assistance/cadre_list.html", {"page": paginate(request, cadres), "q": q})


def _cadre_page(request, cadre: Cadre | None):
    initial = {f: getattr(cadre, f) for f in actions.CADRE_FIELDS} if cadre else {"unit_id": request.GET.get("unit")}
    form = CadreForm(request.POST or None, initial=initial, user=request.user)
    save = lambda: actions.save_cadre(by=request.user, cadre=cadre, values=form.values)  # noqa: E731
    if result := saved(request, form, save, _("Cadre saved.")):
        return redirect(result)
    return render(request, "assistance/cadre_form.html", {"form": form, "cadre": cadre})


@access.requires(Perm.MANAGE_ASSISTANCE)
def cadre_create(request):
    return _cadre_page(request, None)


@access.requires(Perm.MANAGE_ASSISTANCE)
def cadre_edit(request, pk: int):
    return _cadre_page(request, access.get_object_for_user(Cadre.objects.select_related("unit"), request.user, pk=pk))


@access.scoped
def cadre_detail(request, pk: int):
    cadre = access.get_object_for_user(Cadre.objects.select_related("unit__region"), request.user, pk=pk)
    pairings = cadre.pairings.select_related("household__region")
    context = {
        "cadre": cadre,
        "current": [p for p in pairings if p.is_current],
        "past": [p for p in pairings if not p.is_current],
    }
    return render(request, "assistance/cadre_detail.html", context)


@access.scoped
def household_pairing(request, pk: int):
    household = access.get_object_for_user(Household.objects.select_related("region"), request.user, pk=pk)
    can_change = request.user.has_perm(Perm.MANAGE_ASSISTANCE)
    form = PairForm(request.POST or None, household=household)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                _pairing, warnings = actions.pair(
                    by=request.user,
                    household=household,
                    cadre=data["cadre"],
                    start_on=data["start_on"],
                    reason=data["reason"],
                )
            except ValidationError as e:
                add_errors(form, e)
            else:
                for warning in warnings:
                    messages.warning(request, warning)
                messages.success(request, _("%(name)s is now the household's cadre.") % {"name": data["cadre"].name})
                return redirect("assistance:household", pk=household.pk)
    context = {
        "household": household,
        "pairings": household.pairings.select_related("cadre__unit"),
        "visits": household.visits.select_related("cadre").prefetch_related("photos")[:20],
        "can_visit": _may_visit(request.user),
        "form": form,
        "end_form": EndPairingForm(),
        "can_change": can_change,
    }
    return render(request, "assistance/household_pairing.html", context)


@access.requires(Perm.MANAGE_ASSISTANCE)
def pairing_end(request, pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    pairing = access.get_object_for_user(Pairing.objects.select_related("household"), request.user, pk=pk)
    form = EndPairingForm(request.POST)
    if form.is_valid():
        try:
            actions.end_pairing(
                by=request.user, pairing=pairing, end_on=form.cleaned_data["end_on"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Pairing ended."))
    errors_to_messages(request, form)
    return redirect("assistance:household", pk=pairing.household_id)


@access.scoped
def unpaired(request):
    """Households that should have a cadre and have none today, by village; ticked ones are paired with
    one cadre at once (all or none); `?export=xlsx` downloads the list (audited)."""
    region = access.requested_region(request)
    households = access.narrow(
        access.visible_to(Household.objects.select_related("region"), request.user), "region_id", region
    )
    paired = Pairing.objects.filter(end_on__isnull=True).values("household_id")
    households = households.filter(poverty_status__in=HELPED).exclude(pk__in=paired)
    households = households.order_by("region_id", "household_no")
    if request.GET.get("export") == "xlsx":
        record_export(
            by=request.user, what=_("Households without a cadre"), filters={"region": region or ""}, format="xlsx"
        )
        header = [_("household number"), _("head of household"), _("village"), _("poverty status")]
        rows = ([h.household_no, h.head_name, h.region.name, h.get_poverty_status_display()] for h in households)
        return xlsx_response("households-without-a-cadre.xlsx", header, rows)
    page = paginate(request, households)
    can_pair = request.user.has_perm(Perm.MANAGE_ASSISTANCE)
    form = PairManyForm(request.POST or None, user=request.user, households=page) if can_pair else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            chosen = households.filter(pk__in=form.cleaned_data["households"])
            try:
                warnings = actions.pair_many(
                    by=request.user,
                    households=chosen,
                    cadre=form.cleaned_data["cadre"],
                    start_on=form.cleaned_data["start_on"],
                )
            except ValidationError as e:
                add_errors(form, e)
            else:
                for warning in warnings:
                    messages.warning(request, warning)
                messages.success(
                    request,
                    _("%(name)s is now the cadre of %(n)s household(s).")
                    % {"name": form.cleaned_data["cadre"].name, "n": len(form.cleaned_data["households"])},
                )
                return redirect(request.get_full_path())
    return render(request, "assistance/unpaired.html", {"page": page, "form": form, "region": region or ""})


def _own_cadre(user) -> Cadre | None:
    return Cadre.objects.select_related("unit").filter(user=user, is_active=True).first()


@access.requires(Perm.LOG_VISIT)
def my_households(request):
    """A cadre's phone page: their households, the days since each was last visited, overdue first."""
    cadre = _own_cadre(request.user)
    rows = visits.statuses(cadre.pairings.filter(end_on__isnull=True)) if cadre else []
    actions = cadre_actions.for_user(request.user)
    return render(request, "assistance/mine.html", {"cadre": cadre, "rows": rows, "actions": actions})


def _may_visit(user) -> bool:
    return user.has_perm(Perm.LOG_VISIT) or user.has_perm(Perm.MANAGE_ASSISTANCE)


@access.scoped
def visit_create(request, pk: int):
    if not _may_visit(request.user):
        raise PermissionDenied
    household = access.get_object_for_user(Household.objects.select_related("region"), request.user, pk=pk)
    own = _own_cadre(request.user)
    form = VisitForm(request.POST or None, request.FILES or None, household=household, own_cadre=own)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visits.log_visit(
                by=request.user,
                household=household,
                cadre=data["cadre"],
                visited_on=data["visited_on"],
                items=data["items"],
                note=data["note"],
                photos=data["photos"],
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("assistance:mine" if own else "assistance:household", **({} if own else {"pk": pk}))
    return render(request, "assistance/visit_form.html", {"form": form, "household": household})


@access.scoped
def overdue(request):
    """Current pairings whose household has not been visited within the policy's days."""
    pairings = access.visible_to(Pairing.objects.filter(end_on__isnull=True), request.user)
    rows = [row for row in visits.statuses(pairings) if row.overdue]
    by_village = Counter((r.pairing.household.region_id, r.pairing.household.region.name) for r in rows)
    by_cadre = Counter(r.pairing.cadre for r in rows)
    village, cadre = request.GET.get("village", ""), int_param(request.GET.get("cadre"))
    if village:
        rows = [r for r in rows if r.pairing.household.region_id == village]
    if cadre:
        rows = [r for r in rows if r.pairing.cadre_id == cadre]
    context = {
        "page": paginate(request, rows),
        "by_village": [(code, name, count) for (code, name), count in sorted(by_village.items())],
        "by_cadre": sorted(by_cadre.items(), key=lambda item: -item[1]),
        "village": village,
        "cadre": cadre,
    }
    return render(request, "assistance/overdue.html", context)


@access.scoped
def visit_photo(request, pk: int):
    photo = access.get_object_for_user(VisitPhoto.objects.select_related("visit__household"), request.user, pk=pk)
    return serve_audited(request, photo, photo.file, photo.visit.household.region_id, {"visit": photo.visit_id})


@access.scoped
def plan(request, pk: int, year: int | None = None):
    """The household's plan for a year: its goal and measures, planned and delivered."""
    household = access.get_object_for_user(Household.objects.select_related("region"), request.user, pk=pk)
    year = year or timezone.localdate().year
    can_change = request.user.has_perm(Perm.MANAGE_ASSISTANCE)
    the_plan = household.plans.filter(year=year).first()
    plan_form = PlanForm(
        request.POST if "goal" in request.POST else None, initial={"goal": the_plan.goal if the_plan else ""}
    )
    measure_form = MeasureForm(request.POST if "measure_type_id" in request.POST else None, household=household)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = plan_form if "goal" in request.POST else measure_form
        if form.is_valid():
            try:
                if form is plan_form:
                    plans.save_plan(by=request.user, household=household, year=year, goal=form.cleaned_data["goal"])
                else:
                    plans.add_planned_measure(by=request.user, household=household, year=year, values=form.values)
            except ValidationError as e:
                add_errors(form, e)
            else:
                messages.success(request, _("Plan saved."))
                return redirect("assistance:plan", pk=pk, year=year)
    context = {
        "household": household,
        "year": year,
        "plan": the_plan,
        "measures": the_plan.measures.select_related("measure_type", "project") if the_plan else [],
        "years": household.plans.values_list("year", flat=True),
        "plan_form": plan_form,
        "measure_form": measure_form,
        "can_change": can_change,
    }
    return render(request, "assistance/plan.html", context)


@access.requires(Perm.MANAGE_ASSISTANCE)
def measure_edit(request, pk: int):
    measure = access.get_object_for_user(
        Measure.objects.select_related("plan__household", "measure_type"), request.user, pk=pk
    )
    the_plan = measure.plan
    if request.method == "POST" and request.POST.get("delete") == "1":
        try:
            plans.delete_measure(by=request.user, measure=measure)
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
            return redirect("assistance:measure_edit", pk=pk)
        messages.success(request, _("Measure removed."))
        return redirect(the_plan)
    initial = {f: getattr(measure, f) for f in plans.MEASURE_FIELDS}
    form = MeasureForm(request.POST or None, initial=initial, household=the_plan.household)
    save = lambda: plans.save_measure(by=request.user, plan=the_plan, values=form.values, measure=measure)  # noqa: E731
    if saved(request, form, save, _("Measure saved.")):
        return redirect(the_plan)
    return render(request, "assistance/measure_form.html", {"form": form, "measure": measure, "plan": the_plan})


@access.scoped
def coverage_report(request):
    """Per village and per cadre: the households each coverage rule finds lacking, with links."""
    year = int_param(request.GET.get("year")) or timezone.localdate().year
    households = access.visible_to(Household.objects.all(), request.user)
    applies, found = coverage.gaps(households, year)
    rules = list(CoverageRule.objects.filter(is_active=True))
    if code := request.GET.get("rule"):
        village = request.GET.get("village", "")
        chosen = [g for g in found if g.rule.code == code and g.village.startswith(village)]
        by_id = Household.objects.select_related("region").in_bulk([g.household_id for g in chosen])
        rows = [{"household": by_id[g.household_id], "reason": g.reason} for g in chosen]
        rule = next((r for r in rules if r.code == code), None)
        context = {"year": year, "rule": rule, "page": paginate(request, rows)}
        return render(request, "assistance/coverage_households.html", context)
    names = dict(Region.objects.filter(code__in={v for _c, v in applies}).values_list("code", "name"))
    gap_count = Counter((g.rule.code, g.village) for g in found)
    villages = [
        {
            "code": v,
            "name": names.get(v, v),
            "cells": [(r.code, gap_count[(r.code, v)], applies.get((r.code, v), 0)) for r in rules],
        }
        for v in sorted({v for _c, v in applies})
    ]
    current = dict(
        Pairing.objects.filter(end_on__isnull=True, household_id__in={g.household_id for g in found}).values_list(
            "household_id", "cadre_id"
        )
    )
    by_cadre = Counter((current.get(g.household_id), g.rule.code) for g in found)
    cadres = Cadre.objects.select_related("unit").in_bulk({c for c, _r in by_cadre if c})
    cadre_rows = [
        {"cadre": cadres.get(c), "cells": [by_cadre[(c, r.code)] for r in rules]}
        for c in sorted({c for c, _r in by_cadre}, key=lambda c: (c is None, c or 0))
    ]
    context = {"year": year, "rules": rules, "villages": villages, "cadre_rows": cadre_rows}
    return render(request, "assistance/coverage.html", context)


def _card_kind(request) -> str:
    kind = request.GET.get("kind", "contact")
    return kind if kind in printing.KINDS else "contact"


@access.scoped
def household_card(request, pk: int):
    household = access.get_object_for_user(Household.objects.all(), request.user, pk=pk)
    year, kind = int_param(request.GET.get("year")) or timezone.localdate().year, _card_kind(request)
    record_export(by=request.user, target=household, region_code=household.region_id, card=kind, year=year)
    return printing.cards_pdf(Household.objects.filter(pk=pk), year, kind, f"{kind}-{household.household_no}")


@access.scoped
def village_cards(request):
    """Every helped household of one village, two cards to an A4 sheet."""
    village = (
        access.visible_to(Region.objects.filter(level=Level.VILLAGE), request.user)
        .filter(code=request.GET.get("village", ""))
        .first()
    )
    if village is None:
        raise Http404
    year, kind = int_param(request.GET.get("year")) or timezone.localdate().year, _card_kind(request)
    households = Household.objects.filter(region=village, poverty_status__in=HELPED)
    record_export(
        by=request.user, target=village, region_code=village.code, cards=kind, year=year, households=households.count()
    )
    return printing.cards_pdf(households, year, kind, f"{kind}-{village.code}")

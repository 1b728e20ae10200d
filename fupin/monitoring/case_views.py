"""A monitored household's case (its contact and flags) and the help-within-deadline report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.assistance.models import Cadre
from fupin.audit.actions import record_export
from fupin.codes.catalogue import code_list
from fupin.lib.forms import add_errors, filters_of, placeholders_from_labels
from fupin.lib.pagination import paginate
from fupin.lib.xlsx import xlsx_response
from fupin.permissions import Perm

from . import actions, helping, sheets
from .forms import CaseFilterForm, CaseForm
from .kinds import CATEGORY, RISK_TYPE
from .models import CaseStatus, MonitoringCase, has_risk, with_risk_text

SHOWN = {"late": lambda h: h.late, "pending": lambda h: h.pending, "all": lambda h: True}


@access.requires(Perm.CHANGE_HOUSEHOLD)
def case_edit(request, pk: int):
    case = access.get_object_for_user(MonitoringCase.objects.select_related("household"), request.user, pk=pk)
    cadres = Cadre.objects.filter(access.under("unit__region", case.region_id[:6])).select_related("unit")
    initial = {
        "category": case.category,
        "risks": case.risks,
        "contact": case.contact_id,
        "no_labour_support": case.no_labour_support,
        "note": case.note,
    }
    form = CaseForm(request.POST or None, initial=initial, cadres=cadres)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_case(by=request.user, case=case, values=form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("The monitoring record is saved."))
            return redirect(case)
    return render(request, "monitoring/case_form.html", {"form": form, "household": case.household, "case": case})


@access.scoped
def help_report(request):
    """Monitored households whose help is late (no contact, or no measure for a risk), or still due."""
    today = timezone.localdate()
    show = request.GET.get("show") if request.GET.get("show") in SHOWN else "late"
    cases = access.narrow(
        access.visible_to(MonitoringCase.objects.all(), request.user), "region_id", access.requested_region(request)
    )
    found = helping.review(cases, today)
    counts = {name: sum(1 for h in found if wanted(h)) for name, wanted in SHOWN.items()}
    rows = [h for h in found if SHOWN[show](h)]
    rows.sort(key=lambda h: (h.due, h.case.region_id))
    categories = code_list(CATEGORY)
    for row in rows:
        row.category = categories.label(row.case.category)
    context = {"page": paginate(request, rows), "show": show, "counts": counts, "today": today}
    return render(request, "monitoring/help_report.html", context)


@access.scoped
def cases_export(request):
    """The monitored households of the user's region (or the one asked for) in the import sheet's columns."""
    cases = access.narrow(
        access.visible_to(MonitoringCase.objects.all(), request.user), "region_id", access.requested_region(request)
    )
    if request.GET.get("status") in CaseStatus.values:
        cases = cases.filter(status=request.GET["status"])
    cases = cases.select_related("household").order_by("region_id", "household__household_no", "identified_on")
    rows = list(sheets.export_rows(cases.iterator(chunk_size=2000)))
    record_export(by=request.user, what=_("Monitored households"), filters=dict(request.GET.items()), rows=len(rows))
    return xlsx_response("监测对象信息表.xlsx", sheets.headers(), rows)


def filtered_cases(request):
    """The monitored households the user sees, narrowed by the list's filters; read from the cases,
    so that a city's list is an index range over its monitored households, not over all of them."""
    form = CaseFilterForm(request.GET or None)
    placeholders_from_labels(form)
    wanted = filters_of(form)
    cases = access.narrow(
        access.visible_to(MonitoringCase.objects.all(), request.user), "region_id", access.requested_region(request)
    )
    status = wanted.get("status", "")
    if status != "all":
        cases = cases.filter(status=status or CaseStatus.MONITORING)
    if category := wanted.get("category"):
        cases = cases.filter(category=category)
    if risk := wanted.get("risk"):
        cases = with_risk_text(cases).filter(has_risk(risk))
    if q := wanted.get("q", "").strip():
        cases = cases.filter(Q(household__head_name=q) | Q(household__household_no=q))
    return form, cases.select_related("household", "contact").order_by("region_id", "-identified_on", "-id")


@access.scoped
def case_list(request):
    form, cases = filtered_cases(request)
    page = paginate(request, cases)
    categories, risks = code_list(CATEGORY), code_list(RISK_TYPE)
    for case in page.object_list:
        case.category_label = categories.label(case.category)
        case.risk_labels = [risks.label(r) for r in case.risks]
    return render(request, "monitoring/case_list.html", {"form": form, "page": page})

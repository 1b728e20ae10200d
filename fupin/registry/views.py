from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_event, record_export
from fupin.audit.models import EventType
from fupin.lib.forms import add_errors, filters_of
from fupin.lib.pagination import paginate
from fupin.lib.xlsx import xlsx_response
from fupin.permissions import Perm
from fupin.regions.models import Region

from . import actions, basic_needs, exports, income, panels, quality, story, template_export
from .fields import HOUSEHOLD_SECTIONS, MEMBER_SECTIONS, display, sections
from .forms import HouseholdForm, IncomeForm, MemberForm
from .id_numbers import age_on
from .models import Household, IncomeRecord, Member, PovertyStatus
from .search import households_for


def _bound_sections(form, spec) -> list[tuple[str, list]]:
    """The form's fields grouped as the page groups them."""
    grouped = [(title, [form[name] for name in names if name in form.fields]) for title, names in spec]
    return [(title, fields) for title, fields in grouped if fields]


@access.scoped
def household_list(request):
    form, households = households_for(request.user, request.GET)
    page = paginate(request, households)
    query = request.GET.copy()
    query.pop("page", None)
    today = timezone.localdate()
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "year_end": dt.date(today.year - 1, 12, 31),  # the day a year's snapshot is taken
        "yesterday": today - dt.timedelta(days=1),  # the latest day the history tables can be read as of
    }
    template = "registry/_results.html" if request.htmx and request.htmx.target == "results" else "registry/list.html"
    return render(request, template, context)


def _reveal(request, household: Household) -> bool:
    """Full ID numbers, accounts and phones for those allowed, each viewing recorded in the audit trail."""
    if request.GET.get("reveal") != "1" or not request.user.has_perm(Perm.VIEW_FULL_ID):
        return False
    _record_full_numbers(request.user, household, ["id_number", "bank_account", "phone"])
    return True


def _record_full_numbers(user, household: Household, fields: list[str]) -> None:
    """An edit form holds the full numbers it edits: only for those allowed, and every showing recorded."""
    access.require(user, Perm.VIEW_FULL_ID, household.region_id)
    record_event(
        actor=user,
        event_type=EventType.SENSITIVE_VIEW,
        target=household,
        region_code=household.region_id,
        changes={"fields": fields},
    )


def _as_of_date(request) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return None


@access.scoped
def household_detail(request, pk: int):
    household = access.get_object_for_user(Household.objects.select_related("region"), request.user, pk=pk)
    reveal = _reveal(request, household)
    today = timezone.localdate()
    as_of = _as_of_date(request)
    as_of = as_of if as_of and as_of < today else None
    snapshot = story.as_of(household, as_of) if as_of else story.current(household)
    record = snapshot.household if snapshot else household
    latest_income = snapshot.incomes[0] if snapshot and snapshot.incomes else None
    context = {
        "household": household,
        "snapshot": snapshot,
        "as_of": as_of,
        "reveal": reveal,
        "sections": sections(record, HOUSEHOLD_SECTIONS, reveal),
        "members": [
            {
                "member": m,
                "age": age_on(m.birth_date, as_of or today),
                "id_number": display(m, "id_number", reveal),
                "sections": sections(m, MEMBER_SECTIONS, reveal),
            }
            for m in (snapshot.members if snapshot else [])
        ],
        "former_members": snapshot.former_members if snapshot else [],
        "incomes": snapshot.incomes if snapshot else [],
        "national_records": _national_records(household, snapshot, as_of),
        "latest_income": latest_income,
        "income_items": income.ITEMS,
        "needs": basic_needs.check(record, snapshot.members, latest_income, as_of or today) if snapshot else [],
        "timeline": story.timeline(record),
        "held_since": story.held_since(household) if snapshot is None else None,
        "changes": story.history(household, reveal),
        "can_edit": request.user.has_perm(Perm.CHANGE_HOUSEHOLD) and not as_of,
        # only a page that shows the record shows the panels beside it
        "panels": panels.render_panels(request, household, as_of or today, as_of) if snapshot else [],
    }
    return render(request, "registry/detail.html", context)


def _national_records(household, snapshot, as_of) -> list:
    """What the national system reported for the household, each beside the income the register
    computed for the same year (as of the day read)."""
    if snapshot is None:
        return []
    records = household.national_records.all()
    if as_of:
        records = records.filter(data_date__lte=as_of)
    computed = {r.year: r.net_income_per_capita for r in snapshot.incomes}
    return [(record, computed.get(record.year)) for record in records]


@access.requires(Perm.CHANGE_HOUSEHOLD)
def household_create(request):
    # An ordinary rural household (not 建档立卡) is registered to be monitored; any other starts as an applicant.
    ordinary = (request.POST or request.GET).get("ordinary") == "1"
    form = HouseholdForm(request.POST or None)
    head_form = MemberForm(request.POST or None, prefix="head", head=True)
    if request.method == "POST" and all([form.is_valid(), head_form.is_valid()]):
        try:
            values = {**form.values, **({"poverty_status": PovertyStatus.ORDINARY} if ordinary else {})}
            household, warnings = actions.register_household_with_head(
                by=request.user, values=values, head=head_form.values
            )
        except ValidationError as e:
            target = head_form if hasattr(e, "error_dict") and set(e.error_dict) <= set(head_form.fields) else form
            add_errors(target, e)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, _("Household %(no)s registered.") % {"no": household.household_no})
            return redirect(household)
    context = {
        "form": form,
        "head_form": head_form,
        "form_sections": _bound_sections(form, HOUSEHOLD_SECTIONS),
        "head_sections": _bound_sections(head_form, MEMBER_SECTIONS),
        "ordinary": ordinary,
    }
    return render(request, "registry/household_form.html", context)


@access.requires(Perm.CHANGE_HOUSEHOLD)
def household_edit(request, pk: int):
    household = access.get_object_for_user(Household.objects.all(), request.user, pk=pk)
    form = HouseholdForm(request.POST or None, instance=household)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_household(by=request.user, household=household, values=form.values)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Household saved."))
            return redirect(household)
    _record_full_numbers(request.user, household, ["bank_account", "phone"])
    context = {"form": form, "household": household, "form_sections": _bound_sections(form, HOUSEHOLD_SECTIONS)}
    return render(request, "registry/household_form.html", context)


def _member_form_page(request, household: Household, member: Member | None):
    form = MemberForm(request.POST or None, instance=member or Member(household=household))
    if request.method == "POST" and form.is_valid():
        try:
            if member:
                _changed, warnings = actions.update_member(by=request.user, member=member, values=form.values)
            else:
                _member, warnings = actions.add_member(by=request.user, household=household, values=form.values)
        except ValidationError as e:
            add_errors(form, e)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, _("Member saved."))
            return redirect(household)
    if member is not None:
        _record_full_numbers(request.user, household, ["id_number", "phone"])
    context = {
        "form": form,
        "household": household,
        "member": member,
        "form_sections": _bound_sections(form, MEMBER_SECTIONS),
    }
    return render(request, "registry/member_form.html", context)


@access.requires(Perm.CHANGE_HOUSEHOLD)
def member_create(request, pk: int):
    household = access.get_object_for_user(Household.objects.all(), request.user, pk=pk)
    return _member_form_page(request, household, None)


@access.requires(Perm.CHANGE_HOUSEHOLD)
def member_edit(request, pk: int):
    member = access.get_object_for_user(Member.objects.select_related("household"), request.user, pk=pk)
    return _member_form_page(request, member.household, member)


@access.requires(Perm.CHANGE_HOUSEHOLD)
def income_edit(request, pk: int, year: int | None = None):
    household = access.get_object_for_user(Household.objects.all(), request.user, pk=pk)
    record = IncomeRecord.objects.filter(household=household, year=year).first() if year else None
    initial = {"year": timezone.localdate().year - 1} if record is None else None
    form = IncomeForm(request.POST or None, instance=record, initial=initial)
    if record:
        form.fields["year"].disabled = True
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            actions.save_income(
                by=request.user,
                household=household,
                year=values["year"],
                items=values,
                unusual_reason=values.get("unusual_reason", ""),
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Income saved."))
            return redirect(household)
    return render(request, "registry/income_form.html", {"form": form, "household": household, "record": record})


@access.requires(Perm.EXPORT_HOUSEHOLDS)
def household_export(request, fmt: str):
    """The filtered list; with `as_of` (a past day) the registry under the region filter as it stood
    at the end of that day, from the history tables (the other filters read today's record)."""
    form, households = households_for(request.user, request.GET)
    full_ids = request.GET.get("full") == "1" and request.user.has_perm(Perm.EXPORT_FULL_ID)
    as_of = _as_of_date(request)
    headers = exports.HEADERS
    if request.GET.get("layout") == "template":  # every field, to edit and import again
        filters = {**filters_of(form), "layout": "template"}
        people, headers = template_export.rows(households, full_ids), template_export.HEADERS
        what, counts = _("Household list (template layout)"), {"households": households.count()}
    elif as_of and as_of < timezone.localdate():
        prefix = access.requested_region(request)
        prefix = access.region_prefix(request.user) if prefix == "" else prefix
        filters = {"as_of": as_of.isoformat(), "region": prefix}
        people = iter([]) if prefix is None else exports.snapshot_rows(prefix, as_of, full_ids)
        what, counts = _("Household record as of a date"), {}
    else:
        filters = filters_of(form)
        people = exports.rows(households, full_ids)
        what, counts = _("Household list"), {"households": households.count()}
    record_export(by=request.user, what=what, filters=filters, format=fmt, full_id_numbers=full_ids, **counts)
    if full_ids:
        record_event(
            actor=request.user,
            event_type=EventType.SENSITIVE_VIEW,
            target_repr=_("Household list with full ID numbers"),
            region_code=request.user.region_code,
            changes={"format": fmt, "filters": filters},
        )
    stamp = f"as-of-{as_of:%Y%m%d}" if "as_of" in filters else timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(people, headers), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="households-{stamp}.csv"'
        return response
    workbook = exports.xlsx_file(people, headers=headers)
    return FileResponse(workbook, as_attachment=True, filename=f"households-{stamp}.xlsx")


@access.scoped
def quality_report(request):
    """Households each data-quality check flags, by village; every count links to the households.
    `?export=xlsx` downloads the same table (audited)."""
    region = access.requested_region(request)
    households = access.narrow(access.visible_to(Household.objects.all(), request.user), "region__code", region)
    today = timezone.localdate()
    checks, rows = quality.by_village(households, today)
    names = dict(Region.objects.filter(code__in=[r["region_id"] for r in rows]).values_list("code", "name"))
    for row in rows:
        row["name"] = names.get(row["region_id"], row["region_id"])
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(checks))]
    can_export = request.user.has_perm(Perm.EXPORT_HOUSEHOLDS)
    if request.GET.get("export") == "xlsx" and can_export:
        filters = {"region": region} if region else {}
        record_export(
            by=request.user, what=_("Data-quality report"), filters=filters, format="xlsx", villages=len(rows)
        )
        header = [_("village"), _("region code"), *(str(c.title) for c in checks)]
        table = [[row["name"], row["region_id"], *row["counts"]] for row in rows]
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return xlsx_response(f"data-quality-{stamp}.xlsx", header, [*table, [_("Total"), "", *totals]])
    for row in rows:
        row["cells"] = list(zip(checks, row["counts"], strict=True))
    context = {
        "checks": checks,
        "rows": rows,
        "totals": totals,
        "region": region or "",
        "today": today,
        "can_export": can_export,
    }
    return render(request, "registry/quality.html", context)

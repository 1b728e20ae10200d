"""Project pages: the ledger (a filtered list), a project with its stages and money, and the dispatch
table (调度表) whose every number opens the projects behind it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_export
from fupin.audit.files import serve_audited
from fupin.lib import ledger
from fupin.lib.figures import percent
from fupin.lib.forms import ReverseForm, filters_of, post_back, saved
from fupin.lib.pagination import paginate
from fupin.lib.xlsx import bytes_response, xlsx_response
from fupin.permissions import Perm
from fupin.procedures.models import CaseState
from fupin.regions import tables
from fupin.regions.models import Region, full_name_of
from fupin.registry.models import Household

from . import exports, funds, imports, indicators, intake, library, links, notices
from .forms import (
    AdvanceForm,
    AllocationForm,
    DisbursementForm,
    LinkForm,
    NoticeForm,
    ProjectFilterForm,
    ProjectForm,
)
from .models import BenefitLink, Disbursement, NoticeKind, Project, Stage, StageRecord


def filtered(request) -> tuple[ProjectFilterForm, object]:
    """The user's projects narrowed by the list's filters (the dispatch table links here)."""
    form = ProjectFilterForm(request.GET)
    projects = access.visible_to(Project.objects.select_related("region"), request.user)
    if not form.is_valid():
        return form, projects
    data = form.cleaned_data
    if data["q"]:
        projects = projects.filter(name__contains=data["q"].strip())
    projects = access.narrow(projects, "region_id", access.requested_region(request, data["region"]))
    for name in ("year", "level", "category", "stage"):
        if data[name]:
            projects = projects.filter(**{name: data[name]})
    if data["flag"]:
        projects = indicators.flagged(projects, data["flag"], timezone.localdate())
    return form, projects


@access.scoped
def project_list(request):
    form, projects = filtered(request)
    projects = projects.order_by("-year", "region_id", "name")
    if request.GET.get("export") == "xlsx":
        return _ledger_export(request, form, projects)
    page = paginate(request, projects)
    context = {"form": form, "page": page, "query": request.GET.urlencode()}
    return render(request, "projects/list.html", context)


def _ledger_export(request, form, projects):
    """The filtered ledger in the columns of the project sheet, so that it can be loaded again."""
    record_export(
        by=request.user, what=_("Project ledger"), filters=filters_of(form), format="xlsx", projects=projects.count()
    )
    rows = (imports.export_row(p) for p in projects.iterator(chunk_size=2000))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(f"projects-{stamp}.xlsx", imports.PROJECT_SHEET.headers, rows)


def _project_page(request, project: Project | None):
    initial = {f: getattr(project, f) for f in library.PROJECT_FIELDS} if project else None
    form = ProjectForm(request.POST or None, initial=initial)
    save = lambda: library.save_project(by=request.user, project=project, values=form.cleaned_data)  # noqa: E731
    if result := saved(request, form, save, _("Project saved.")):
        return redirect(result)
    return render(request, "projects/form.html", {"form": form, "project": project})


@access.requires(Perm.MANAGE_PROJECTS)
def project_create(request):
    return _project_page(request, None)


@access.requires(Perm.MANAGE_PROJECTS)
def project_edit(request, pk: int):
    return _project_page(request, access.get_object_for_user(Project.objects.all(), request.user, pk=pk))


@access.scoped
def project_detail(request, pk: int):
    project = access.get_object_for_user(Project.objects.select_related("region"), request.user, pk=pk)
    today = timezone.localdate()
    figures = indicators.totals(Project.objects.filter(pk=project.pk), today).figures  # one query for all alerts
    alerts = [indicators.FLAG_LABELS[f] for f in indicators.ALERTS if figures[f]]
    recorded = list(project.notices.prefetch_related("photos"))
    can_change = request.user.has_perm(Perm.MANAGE_PROJECTS)
    entries = list(project.disbursements.select_related("source", "reverses").prefetch_related("reversal"))
    for entry in entries:
        entry.can_reverse = can_change and ledger.reversible(entry)
    if missing := notices.missing_notice(project, recorded):
        alerts.append(missing)
    context = {
        "project": project,
        "region_name": full_name_of(project.region_id),
        "alerts": alerts,
        "records": project.stage_records.select_related("recorded_by"),
        "allocations": project.allocations.select_related("source"),
        "entries": entries,
        "can_change": can_change,
        "can_link": request.user.has_perm(Perm.MANAGE_BENEFIT_LINKS),
        "advance_form": AdvanceForm(stages=library.next_stages(project), prefix="advance"),
        "allocation_form": AllocationForm(prefix="allocation"),
        "disbursement_form": DisbursementForm(prefix="pay"),
        "links": project.benefit_links.select_related("household__region"),
        "link_form": LinkForm(prefix="link"),
        "notices": recorded,
        "notice_form": NoticeForm(prefix="notice"),
        "notice_kinds": NoticeKind.choices,
        "progress_of_investment": percent(project.disbursed, project.total_investment),
        "progress_of_allocation": percent(project.disbursed, project.allocated),
        **_intake_context(request.user, project),
    }
    return render(request, "projects/detail.html", context)


def _intake_context(user, project: Project) -> dict:
    """The project's intake cases and, while it is in planning, where it can be proposed."""
    cases = list(intake.cases_of(project))
    kind = intake.kind_name(project)
    proposable = (
        kind is not None and project.stage == Stage.PLANNING and not any(c.state == CaseState.ACTIVE for c in cases)
    )
    start = None
    if proposable:
        query = urlencode({"kind": kind, "region": intake.batch_region(project), "year": project.year})
        start = f"{reverse('procedures:create')}?{query}"
    return {
        "intake_cases": cases,
        "intake_batches": intake.open_batches(project, user) if proposable else [],
        "intake_start": start,
    }


def editable(request, pk: int) -> Project:
    """A project to change or link households to (the views require the permission), inside the user's scope."""
    return access.get_object_for_user(Project.objects.all(), request.user, pk=pk)


@access.requires(Perm.MANAGE_PROJECTS)
def advance(request, pk: int):
    project = editable(request, pk)
    form = AdvanceForm(request.POST, request.FILES, stages=library.next_stages(project), prefix="advance")

    def run(data):
        library.advance(
            by=request.user,
            project=project,
            stage=data["stage"],
            on=data["on"],
            note=data["note"],
            document=data["document"],
        )

    return post_back(request, form, run, _("Stage recorded."), project, {"source_id": "source"})


@access.requires(Perm.MANAGE_PROJECTS)
def allocate(request, pk: int):
    project = editable(request, pk)
    form = AllocationForm(request.POST, prefix="allocation")

    def run(data):
        funds.allocate(by=request.user, project=project, source_id=data["source"].pk, amount=data["amount"])

    return post_back(request, form, run, _("Allocation saved."), project, {"source_id": "source"})


@access.requires(Perm.MANAGE_PROJECTS)
def disburse(request, pk: int):
    project = editable(request, pk)
    form = DisbursementForm(request.POST, prefix="pay")

    def run(data):
        funds.disburse(
            by=request.user,
            project=project,
            source_id=data["source"].pk,
            amount=data["amount"],
            paid_on=data["paid_on"],
            voucher_no=data["voucher_no"],
            over_allocation_reason=data["over_allocation_reason"],
            note=data["note"],
        )

    return post_back(request, form, run, _("Payment recorded."), project, {"source_id": "source"})


@access.requires(Perm.MANAGE_PROJECTS)
def reverse_entry(request, pk: int):
    entry = access.get_object_for_user(Disbursement.objects.select_related("project"), request.user, pk=pk)
    form = ReverseForm(request.POST)

    def run(data):
        funds.reverse(by=request.user, entry=entry, reason=data["reason"], on=data["on"])

    return post_back(request, form, run, _("The entry has been reversed."), entry.project, {"source_id": "source"})


@access.requires(Perm.MANAGE_BENEFIT_LINKS)
def link_add(request, pk: int):
    project = editable(request, pk)
    form = LinkForm(request.POST, prefix="link")

    def run(data):
        links.link(
            by=request.user,
            project=project,
            household_no=data["household_no"],
            kind=data["kind"],
            annual_amount=data["annual_amount"],
            note=data["note"],
        )

    return post_back(request, form, run, _("Household linked."), project, {"source_id": "source"})


@access.requires(Perm.MANAGE_BENEFIT_LINKS)
def link_remove(request, pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    found = access.get_object_for_user(BenefitLink.objects.select_related("project", "household"), request.user, pk=pk)
    links.unlink(by=request.user, link=found)
    messages.success(request, _("Link removed."))
    return redirect(found.project)


@access.scoped
def unlinked(request):
    """Helped households that no industrial project benefits (a gap in 产业带贫)."""
    households = access.visible_to(Household.objects.select_related("region"), request.user)
    region = access.requested_region(request)
    households = access.narrow(households, "region_id", region)
    found = links.without_industrial_project(households).order_by("region_id", "household_no")
    if request.GET.get("export") == "xlsx":  # the same list, audited
        what = _("Households without an industrial project")
        record_export(by=request.user, what=what, filters={"region": region or ""}, format="xlsx")
        header = [_("household number"), _("head of household"), _("village"), _("poverty status")]
        rows = ([h.household_no, h.head_name, h.region.name, h.get_poverty_status_display()] for h in found)
        return xlsx_response("households-without-an-industrial-project.xlsx", header, rows)
    return render(request, "projects/unlinked.html", {"page": paginate(request, found), "region": region or ""})


@access.scoped
def stage_document(request, pk: int):
    record = access.get_object_for_user(StageRecord.objects.select_related("project"), request.user, pk=pk)
    return serve_audited(request, record, record.document, record.project.region_id, {"stage": record.stage})


@access.scoped
def dispatch(request):
    """调度表: per region below the chosen one, every indicator, each a link to its projects."""
    today = timezone.localdate()
    year = request.GET.get("year", "").strip()
    level = request.GET.get("level", "").strip()
    projects = access.visible_to(Project.objects.all(), request.user)
    if year.isdigit():
        projects = projects.filter(year=int(year))
    if level:
        projects = projects.filter(level=level)
    table = tables.table(request, [indicators.figures(projects, today)], indicators.ZEROS, indicators.ProjectRow)
    region, code = table.region, table.code
    base = {k: v for k, v in (("year", year), ("level", level)) if v}
    lines = [
        {"row": line.row, "name": line.name, "drill": line.drill, "query": urlencode({**base, "region": line.row.code})}
        for line in table.lines
    ]
    if request.GET.get("export") == "xlsx":
        return _dispatch_export(request, region, today, [(line.name, line.row) for line in table.lines], table.total)
    context = {
        "region": region,
        "total": table.total,
        "total_query": urlencode({**base, "region": code}),
        "lines": lines,
        "year": year,
        "level": level,
        "levels": Project._meta.get_field("level").choices,
        "today": today,
        "up": table.up,
    }
    return render(request, "projects/dispatch.html", context)


def _dispatch_export(request, region: Region | None, today, lines, total) -> HttpResponse:
    title = _("Dispatch table of %(region)s as of %(day)s") % {
        "region": region.full_name() if region else _("Whole country"),
        "day": today.isoformat(),
    }
    record_export(
        by=request.user,
        what=_("Dispatch table"),
        filters=request.GET.dict(),
        region_code=region.code if region else "",
        format="xlsx",
        rows=len(lines),
    )
    content = exports.dispatch_xlsx(title, lines, total)
    return bytes_response(f"dispatch-{region.code if region else 'all'}-{today:%Y%m%d}.xlsx", content)

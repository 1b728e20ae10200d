"""What the comparison found, in the user's region: the list (filters, pages, export), a finding's page
(its department values, each showing audited) with the verification's steps, and its evidence."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin import access
from fupin.audit.actions import record_event, record_export
from fupin.audit.files import serve_audited
from fupin.audit.models import EventType
from fupin.lib.forms import add_errors, filters_of, placeholders_from_labels
from fupin.lib.pagination import paginate
from fupin.lib.xlsx import xlsx_response
from fupin.permissions import Perm
from fupin.regions.models import Level

from . import verification
from .forms import FindingFilterForm, VerifyForm
from .models import Finding


def filtered_findings(request):
    form = FindingFilterForm(request.GET or None)
    placeholders_from_labels(form)
    wanted = filters_of(form)
    findings = access.narrow(
        access.visible_to(Finding.objects.all(), request.user), "region_id", access.requested_region(request)
    )
    state = wanted.get("state", "")
    if state == "":
        findings = findings.exclude(state=Finding.State.VERIFIED)
    elif state != "all":
        findings = findings.filter(state=state)
    lookups = {"kind": "rule__kind__code", "rule": "rule__code", "yields": "yields", "result": "result"}
    for name, lookup in lookups.items():
        if value := wanted.get(name):
            findings = findings.filter(**{lookup: value})
    if wanted.get("overdue"):
        findings = verification.overdue(findings)
    if wanted.get("name_differs"):
        findings = findings.exclude(name_in_list=F("member__name"))
    if q := wanted.get("q", "").strip():
        findings = findings.filter(Q(member__name=q) | Q(household__household_no=q) | Q(name_in_list=q))
    findings = findings.select_related("rule__kind", "member", "household", "region")
    return form, findings.order_by("due_on", "region_id", "id")


@access.scoped
def finding_list(request):
    form, findings = filtered_findings(request)
    page = paginate(request, findings)
    today = timezone.localdate()
    for finding in page.object_list:
        finding.overdue = finding.state != Finding.State.VERIFIED and finding.due_on < today
    return render(request, "crosscheck/finding_list.html", {"form": form, "page": page, "today": today})


EXPORT_HEADERS = (
    *("村", "户编号", "姓名", "部门名单中的姓名", "部门", "规则"),
    *("类别", "说明", "核实期限", "状态", "核实结果", "核实情况"),
)


@access.scoped
def finding_export(request):
    """The findings of the list's filters with what the rule read (audited as an export)."""
    _form, findings = filtered_findings(request)
    rows = [
        (
            f.region.name,
            f.household.household_no,
            f.member.name,
            f.name_in_list,
            f.rule.kind.department,
            f.rule.name,
            f.get_yields_display(),
            verification.explanation(f),
            f.due_on.isoformat(),
            f.get_state_display(),
            f.get_result_display() if f.result else "",
            f.note,
        )
        for f in findings.iterator(chunk_size=2000)
    ]
    record_export(by=request.user, what=_("Comparison findings"), filters=dict(request.GET.items()), rows=len(rows))
    return xlsx_response("比对疑点核实清单.xlsx", EXPORT_HEADERS, rows)


def _finding(request, pk: int) -> Finding:
    return access.get_object_for_user(
        Finding.objects.select_related("rule__kind", "member", "household", "region", "load", "verified_by"),
        request.user,
        pk=pk,
    )


@access.scoped
def finding_detail(request, pk: int):
    finding = _finding(request, pk)
    values = verification.values_of(finding)
    columns = [(c["header"], values.get(c["key"], "")) for c in finding.rule.kind.columns if c["key"] != "id_number"]
    record_event(  # the department's values about a person: every showing is kept
        actor=request.user,
        event_type=EventType.SENSITIVE_VIEW,
        target=finding,
        region_code=finding.region_id,
        changes={"fields": "department_values", "rule": finding.rule.code},
    )
    may_verify = access.allowed(request.user, Perm.VERIFY_FINDINGS, finding.region_id)
    context = {
        "finding": finding,
        "explanation": verification.explanation(finding),
        "columns": columns,
        "form": VerifyForm(),
        "may_verify": may_verify and finding.state != Finding.State.VERIFIED,
        "may_pass": may_verify
        and finding.state == Finding.State.TOWNSHIP
        and request.user.region is not None
        and request.user.region.level in (Level.COUNTY, Level.TOWNSHIP),
        "may_propose": may_verify and verification.may_propose_removal(finding),
        "overdue": finding.state != Finding.State.VERIFIED and finding.due_on < timezone.localdate(),
        "history": finding.history.select_related("history_user").order_by("-history_date")[:20],
    }
    return render(request, "crosscheck/finding_detail.html", context)


@access.requires(Perm.VERIFY_FINDINGS)
@require_POST
def finding_pass(request, pk: int):
    finding = _finding(request, pk)
    try:
        verification.pass_to_village(by=request.user, finding=finding)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Passed to the village to verify."))
    return redirect("crosscheck:finding", finding.pk)


@access.requires(Perm.VERIFY_FINDINGS)
@require_POST
def finding_verify(request, pk: int):
    finding = _finding(request, pk)
    form = VerifyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            verification.verify(
                by=request.user,
                finding=finding,
                result=form.cleaned_data["result"],
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("The verification is recorded."))
            return redirect("crosscheck:finding", finding.pk)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for message in errors:
            messages.error(request, f"{label}：{message}" if label else message)
    return redirect("crosscheck:finding", finding.pk)


@access.requires(Perm.VERIFY_FINDINGS)
@require_POST
def finding_propose_removal(request, pk: int):
    finding = _finding(request, pk)
    try:
        case = verification.propose_removal(by=request.user, finding=finding)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
        return redirect("crosscheck:finding", finding.pk)
    messages.success(request, _("The household is proposed in removal batch %(batch)s.") % {"batch": case.batch_id})
    return redirect(case.batch)


@access.scoped
def finding_evidence(request, pk: int):
    finding = _finding(request, pk)
    return serve_audited(request, finding, finding.evidence, finding.region_id, {"finding": finding.pk})

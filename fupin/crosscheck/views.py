"""The dataset kinds and their rules, the lists loaded, running the comparison, the summary, and the
outbound list."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin import access
from fupin.accounts.roles import may_open
from fupin.audit.actions import record_export
from fupin.codes.catalogue import code_list
from fupin.lib.pagination import paginate
from fupin.lib.xlsx import xlsx_response
from fupin.monitoring.kinds import RISK_TYPE
from fupin.permissions import Perm
from fupin.policy.items import ITEMS

from . import comparison, editing, loading, outbound, summary
from .forms import OPERATOR_CHOICES, OutboundForm
from .models import DatasetKind, DatasetLoad, Finding, Rule


def describe(rule: Rule, headers: dict[str, str]) -> list[str]:
    """Each clause of a rule as a person reads it: "车辆类型 不为以下任何一项：农用车、摩托车" (the
    operators in the words the rule form offers)."""
    operators = dict(OPERATOR_CHOICES)
    lines = []
    for clause in rule.condition["all"]:
        words = f"{headers.get(clause['column'], clause['column'])} {operators.get(clause['op'], clause['op'])}"
        if "policy" in clause:
            item = ITEMS.get(clause["policy"])
            words += f"：{item.label if item else clause['policy']}"
        elif "value" in clause:
            value = clause["value"]
            words += "：" + ("、".join(map(str, value)) if isinstance(value, list) else str(value))
        lines.append(words)
    return lines


@access.scoped
def kind_list(request):
    editor = request.user.has_perm(Perm.MANAGE_CROSSCHECK)
    kinds = DatasetKind.objects.prefetch_related("rules")
    if not editor:
        kinds = kinds.filter(is_active=True)
    risks = code_list(RISK_TYPE)
    kinds = list(kinds)
    for kind in kinds:
        headers = {c["key"]: c["header"] for c in kind.columns}
        kind.shown_rules = [r for r in kind.rules.all() if r.is_active or editor]
        kind.editable = editing.may_edit(request.user, kind)
        kind.sheet = loading.sheet_kind(kind)
        kind.may_add_rule = editor and kind.region_code in ("", editing.own_region(request.user))
        for rule in kind.shown_rules:
            rule.clauses = describe(rule, headers)
            rule.risk_label = risks.label(rule.risk_type) if rule.risk_type else ""
            rule.editable = editing.may_edit(request.user, rule)
    context = {
        "kinds": kinds,
        "may_load": request.user.has_perm(Perm.LOAD_DEPARTMENT_DATA),
        "editor": editor,
        # the tabs lead to findings and lists, which an administrator (三员) does not open
        "records_user": may_open(request.user.role, "crosscheck:findings"),
    }
    return render(request, "crosscheck/kind_list.html", context)


@access.scoped
def load_list(request):
    """The lists loaded in the user's region: period, rows kept and set aside, whether in use. The
    rows themselves open only for whoever loaded them (the import batch's page)."""
    loads = access.narrow(
        access.visible_to(DatasetLoad.objects.all(), request.user), "region_id", access.requested_region(request)
    )
    loads = loads.select_related("kind", "loaded_by", "batch").order_by("-loaded_at", "-id")
    context = {"page": paginate(request, loads), "may_load": request.user.has_perm(Perm.LOAD_DEPARTMENT_DATA)}
    return render(request, "crosscheck/load_list.html", context)


@access.requires(Perm.LOAD_DEPARTMENT_DATA)
@require_POST
def compare(request):
    kind = DatasetKind.objects.filter(code=request.POST.get("kind", "")).first()
    job = comparison.start(by=request.user, kind=kind)
    messages.success(request, _("The comparison is running; its progress is on the job's page."))
    return redirect(job)


@access.scoped
def summary_page(request):
    today = timezone.localdate()
    findings = access.visible_to(Finding.objects.all(), request.user)
    region = access.requested_region(request)
    narrowed = access.narrow(findings, "region_id", region)
    lines = summary.by_rule(narrowed, today)
    context = {
        "rules": lines,
        "departments": summary.by_department(lines),
        "table": summary.by_region(request, findings, today),
    }
    if request.GET.get("export") == "1":
        record_export(by=request.user, what=_("Comparison summary"), filters=dict(request.GET.items()))
        headers = ["部门", "规则", "发现", "待核实", "逾期", "属实", "不属实", "已纠正"]
        rows = [
            [
                line["rule__kind__department"],
                line["rule__name"],
                *(line[n] for n in ("found", "open", "overdue", "confirmed", "refuted", "corrected")),
            ]
            for line in lines
        ]
        return xlsx_response("比对结果汇总.xlsx", headers, rows)
    return render(request, "crosscheck/summary.html", context)


@access.requires(Perm.LOAD_DEPARTMENT_DATA)
def outbound_list(request):
    form = OutboundForm(request.POST or None)
    if not outbound.may_send(request.user):
        messages.error(request, _("Sending the register's ID numbers needs the permission to export them in full."))
    elif request.method == "POST" and form.is_valid():
        headers, rows = outbound.send(
            by=request.user,
            fields=form.cleaned_data["fields_wanted"],
            department=form.cleaned_data["department"],
            purpose=form.cleaned_data["purpose"],
            include_left=form.cleaned_data["include_left"],
        )
        return xlsx_response("推送比对名单.xlsx", headers, rows)
    count = outbound.members(request.user, include_left=False).count()
    return render(request, "crosscheck/outbound.html", {"form": form, "count": count})

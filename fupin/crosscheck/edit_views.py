"""The pages that add and change dataset kinds and rules (national, or a province's own)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fupin import access
from fupin.codes.catalogue import code_list
from fupin.lib.forms import add_errors
from fupin.monitoring.kinds import RISK_TYPE
from fupin.permissions import Perm
from fupin.policy.items import ITEMS
from fupin.procedures.models import ExclusionRule

from . import editing
from .forms import KindForm, RuleForm
from .models import DatasetKind, Rule


@access.requires(Perm.MANAGE_CROSSCHECK)
def kind_edit(request, code: str | None = None):
    kind = (
        get_object_or_404(DatasetKind, code=code) if code else DatasetKind(region_code=editing.own_region(request.user))
    )
    if not editing.may_edit(request.user, kind):
        raise PermissionDenied
    initial = (
        {"columns_text": editing.columns_text(kind.columns or [])}
        if kind.pk
        else {"columns_text": "id_number,身份证号,必填\nname,姓名,必填"}
    )
    form = KindForm(request.POST or None, instance=kind, initial=initial)
    if kind.pk:
        form.fields["code"].disabled = True  # its sheet's name, and the rules' link
    if request.method == "POST" and form.is_valid():
        try:
            kind = form.save(commit=False)
            kind.columns = editing.parse_columns(form.cleaned_data["columns_text"])
            editing.save_kind(by=request.user, kind=kind)
        except ValidationError as e:
            add_errors(form, e, {"columns": "columns_text"})
        else:
            messages.success(request, _("The dataset kind is saved."))
            return redirect("crosscheck:kinds")
    return render(request, "crosscheck/kind_form.html", {"form": form, "kind": kind})


@access.requires(Perm.MANAGE_CROSSCHECK)
def rule_edit(request, kind: str | None = None, code: str | None = None):
    if code:
        rule = get_object_or_404(Rule.objects.select_related("kind"), code=code)
        dataset = rule.kind
    else:
        dataset = get_object_or_404(DatasetKind, code=kind)
        rule = Rule(kind=dataset, region_code=editing.own_region(request.user), condition={"all": []})
    if not editing.may_edit(request.user, rule):
        raise PermissionDenied
    exclusions = list(ExclusionRule.objects.filter(is_active=True).values_list("code", "name"))
    risks = list(code_list(RISK_TYPE).labels.items())
    items = [(name, str(item.label)) for name, item in ITEMS.items() if name.startswith("crosscheck_")]
    form = RuleForm(
        request.POST or None, instance=rule, kind=dataset, exclusions=exclusions, risks=risks, policy_items=items
    )
    if rule.pk:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            rule = form.save(commit=False)
            rule.kind, rule.condition = dataset, form.condition()
            editing.save_rule(by=request.user, rule=rule)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("The rule is saved; the next comparison applies it."))
            return redirect("crosscheck:kinds")
    return render(request, "crosscheck/rule_form.html", {"form": form, "rule": rule, "kind": dataset})

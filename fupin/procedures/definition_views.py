"""Procedure definitions: the steps of each kind, national and a province's own, and their editing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from fupin import access
from fupin.accounts.roles import Role
from fupin.lib.forms import add_errors, int_param
from fupin.permissions import Perm
from fupin.policy import actions as policy_actions
from fupin.regions.models import Level, Region

from . import definitions
from .forms import StepForm
from .kinds import KINDS
from .models import ExclusionRule, Procedure, Step


@access.scoped
def definition_list(request):
    procedures = list(Procedure.objects.prefetch_related("steps"))
    provinces = access.visible_to(Region.objects.filter(level=Level.PROVINCE), request.user)
    province = provinces.filter(code=(request.user.region_id or "")[:2]).first()
    if request.method == "POST":
        if province is None:
            raise PermissionDenied
        try:
            own = definitions.customise(by=request.user, kind=request.POST.get("kind", ""), province=province)
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(province)s now has its own definition to edit.") % {"province": province})
            return redirect(f"{request.path}#procedure-{own.pk}")
        return redirect(request.path)
    roles = dict(Role.choices)
    context = {
        "procedures": [
            {
                "procedure": p,
                "editable": definitions.can_edit(request.user, p),
                "steps": [(s, [roles.get(r, r) for r in s.actor_roles]) for s in p.steps.all()],
            }
            for p in procedures
        ],
        "rules": ExclusionRule.objects.all(),
        "province": province if province and policy_actions.can_set(request.user, province.code) else None,
        "kinds": [(k.name, k.label) for k in KINDS.values()],
    }
    return render(request, "procedures/definitions.html", context)


def _step_page(request, procedure: Procedure, step: Step | None, after: int):
    form = StepForm(request.POST or None, initial=StepForm.initial_of(step) if step else None)
    if request.method == "POST" and form.is_valid():
        try:
            if step:
                definitions.save_step(by=request.user, step=step, values=form.cleaned_data)
            else:
                definitions.add_step(by=request.user, procedure=procedure, after=after, values=form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Step saved."))
            return redirect(f"{reverse('procedures:definitions')}#procedure-{procedure.pk}")
    context = {"form": form, "procedure": procedure, "step": step}
    return render(request, "procedures/step_form.html", context)


@access.requires(Perm.MANAGE_POLICY)
def step_edit(request, pk: int):
    step = get_object_or_404(Step.objects.select_related("procedure"), pk=pk)
    if not definitions.can_edit(request.user, step.procedure):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("delete") == "1":
        try:
            definitions.remove_step(by=request.user, step=step)
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
            return redirect("procedures:step_edit", pk=step.pk)
        messages.success(request, _("Step removed."))
        return redirect(f"{reverse('procedures:definitions')}#procedure-{step.procedure_id}")
    return _step_page(request, step.procedure, step, step.position)


@access.requires(Perm.MANAGE_POLICY)
def step_create(request, pk: int):
    procedure = get_object_or_404(Procedure, pk=pk)
    if not definitions.can_edit(request.user, procedure):
        raise PermissionDenied
    after = int_param(request.GET.get("after")) or 0
    return _step_page(request, procedure, None, max(0, min(after, procedure.steps.count())))
